using System.Globalization;
using Mlrb.Agents;

namespace Mlrb.Cli.Commands.Run;

/// <summary>Writes one progress line per agent step to a text writer (standard error).</summary>
internal sealed class ProgressPrinter(TextWriter output) : IProgress<AgentProgress>
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Report(AgentProgress value)
    {
        var c = CultureInfo.InvariantCulture;
        var cost = value.CostUsd is { } usd ? string.Create(c, $" | ${usd:0.0000}") : "";
        var line = string.Create(c, $"[step {value.Step}] {value.Agent}: {value.Activity} | {Format(value.Elapsed)} elapsed, {Format(value.Remaining)} left | tokens {value.InputTokens:N0} in / {value.OutputTokens:N0} out{cost}");
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static string Format(TimeSpan span)
        => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours:00}:{span.Minutes:00}:{span.Seconds:00}");
}
