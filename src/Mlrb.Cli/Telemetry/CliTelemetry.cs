using System.Diagnostics;

namespace Mlrb.Cli.Telemetry;

/// <summary>
/// The CLI's own spans: one root span per command (<c>mlrb run</c>, <c>mlrb eval</c>, ...) on the <c>Mlrb.Cli</c>
/// activity source, under which the libraries' spans (<c>Mlrb.Agents</c>, <c>Mlrb.Tools</c>, <c>Mlrb.Eval</c>) nest.
/// </summary>
internal static class CliTelemetry
{
    /// <summary>The activity source name.</summary>
    public const string Name = "Mlrb.Cli";

    /// <summary>The sources and meters the CLI exports: every Mlrb library's, and Polly's resilience events.</summary>
    public static readonly string[] Sources = ["Mlrb.*"];

    /// <summary>Meters exported besides <see cref="Sources"/>.</summary>
    public static readonly string[] Meters = ["Mlrb.*", "Polly"];

    /// <summary>Where command spans start.</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(CliTelemetry).Assembly.GetName().Version?.ToString());
}
