namespace Mlrb.Cli.Viewer.Hosting;

/// <summary>How <c>mlrb view</c> serves.</summary>
internal sealed record ViewerOptions
{
    /// <summary>The run store.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The folder of evaluation reports, or null.</summary>
    public string? ResultsPath { get; init; }

    /// <summary>Address to listen on (default loopback).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port (0 picks a free one).</summary>
    public int Port { get; init; } = 8765;

    /// <summary>Access token; required for a non-loopback host.</summary>
    public string? Token { get; init; }
}
