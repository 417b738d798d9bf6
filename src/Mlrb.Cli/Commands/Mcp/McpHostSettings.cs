namespace Mlrb.Cli.Commands.Mcp;

/// <summary>What <c>mlrb mcp</c> was asked for.</summary>
/// <param name="Workdir">The workspace the tools work in.</param>
/// <param name="AllowNetwork">Whether tool processes may use the network.</param>
/// <param name="Sandbox">How tool processes are confined.</param>
/// <param name="TimeoutSeconds">Default process timeout; null keeps the library default.</param>
internal sealed record McpHostSettings(string Workdir, bool AllowNetwork, Mlrb.Tools.SandboxMode Sandbox, int? TimeoutSeconds)
{
    /// <summary>Resource limits of tool processes (null keeps the library defaults).</summary>
    public Mlrb.Tools.ProcessLimits? Limits { get; init; }
}
