namespace Mlrb.Cli.Viewer.Pages;

/// <summary>A subtask's first metric in a report.</summary>
/// <param name="Name">Subtask name.</param>
/// <param name="Metric">Metric name, or null when the subtask has none.</param>
/// <param name="Value">The value.</param>
/// <param name="Stderr">Its standard error.</param>
internal sealed record SubtaskScore(string Name, string? Metric, double? Value, double? Stderr);
