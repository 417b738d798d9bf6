using Mlrb.Cli.Commands.Results;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>The parsed <c>mlrb bench</c> command line.</summary>
internal sealed record BenchSettings
{
    public required IReadOnlyList<string> Tasks { get; init; }

    public required int Runs { get; init; }

    public required int Parallel { get; init; }

    public required ResultsOutput Output { get; init; }

    /// <summary>The <c>mlrb run</c> options to pass to every run.</summary>
    public required IReadOnlyList<string> RunArguments { get; init; }

    public required string WorkDirectory { get; init; }

    public string? DatabasePath { get; init; }
}
