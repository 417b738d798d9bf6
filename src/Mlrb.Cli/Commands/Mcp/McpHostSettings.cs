namespace Mlrb.Cli.Commands.Mcp;

/// <summary>What <c>mlrb mcp</c> was asked for.</summary>
/// <param name="Workdir">The workspace the tools work in.</param>
/// <param name="AllowNetwork">Whether tool processes may use the network.</param>
/// <param name="Sandbox">How tool processes are confined.</param>
/// <param name="TimeoutSeconds">Default process timeout; null keeps the library default.</param>
internal sealed record McpHostSettings(string Workdir, bool AllowNetwork, Mlrb.Tools.SandboxMode Sandbox, int? TimeoutSeconds);
