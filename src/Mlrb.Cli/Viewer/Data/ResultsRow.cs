namespace Mlrb.Cli.Viewer.Data;

/// <summary>One task × agent cell of the results table.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Agent">Agent name (label, or provider/model).</param>
/// <param name="Runs">Finished runs counted (each non-scored outcome counts as 0, as in the paper).</param>
/// <param name="Scored">Runs with a score.</param>
/// <param name="Mean">Mean score over <paramref name="Runs"/>.</param>
/// <param name="Sem">Standard error of the mean (sample standard deviation / √n); null for one run.</param>
/// <param name="Points">Each run's score (0 for failed runs), with its run id.</param>
internal sealed record ResultsRow(string Task, string Agent, int Runs, int Scored, double Mean, double? Sem, IReadOnlyList<(string RunId, double Score)> Points);
