using System.Globalization;
using System.Text;
using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Results;

/// <summary>Renders a <see cref="ResultsReport"/> as text tables (Markdown pipes) or CSV.</summary>
internal static class ResultsFormatter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static readonly string[] SummaryHeader =
        ["Task", "Agent", "Runs", "Scored", "Agent fail", "Infra fail", "Pending", "Mean (fail=0)", "SE", "Mean scored", "Best", "Best run", "Cost", "Cost/run", "Tokens", "Wall/run"];

    private static readonly string[] RunsHeader =
        ["Task", "Agent", "Run", "Started (UTC)", "Outcome", "Score", "Cost", "Tokens", "Wall", "Detail"];

    /// <summary>The summary table (one row per task and agent), the failures-by-outcome table and the counting note.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Text ending in a newline.</returns>
    public static string ToTable(ResultsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Summaries.Count == 0)
        {
            return "No runs match.\n";
        }

        var text = new StringBuilder();
        Table(text, SummaryHeader, report.Summaries.Select(s => new[]
        {
            s.Task, s.Agent, Int(s.Runs), Int(s.Scored), Int(s.AgentFailures), Int(s.InfrastructureFailures), Int(s.Pending),
            Score(s.MeanScore), Score(s.StandardError), Score(s.MeanScoredScore), Score(s.BestScore), s.BestRunId ?? "-",
            Cost(s.TotalCostUsd), Cost(s.MeanCostUsd), Int(s.InputTokens + s.OutputTokens), Duration(s.MeanWallSeconds),
        }));
        text.Append('\n');
        var failures = RunOutcomes.All.Where(o => o != RunOutcome.Scored).ToList();
        Table(
            text,
            ["Task", "Agent", .. failures.Select(o => o.ToName() + (o.IsInfrastructureFailure() ? " (infra)" : ""))],
            report.Summaries.Select(s => new[] { s.Task, s.Agent }.Concat(failures.Select(o => Int(s.Failures.GetValueOrDefault(o.ToName())))).ToArray()));
        text.Append('\n').Append(report.Note).Append('\n');
        return text.ToString();
    }

    /// <summary>One row per run.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Text ending in a newline.</returns>
    public static string ToRunsTable(ResultsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Runs.Count == 0)
        {
            return "No runs match.\n";
        }

        var text = new StringBuilder();
        Table(text, RunsHeader, report.Runs.Select(r => new[]
        {
            r.Task, r.Agent, r.RunId, r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", C), r.Outcome?.ToName() ?? "pending",
            Score(r.CountedScore), Cost(r.CostUsd), Int(r.InputTokens + r.OutputTokens), Duration(r.WallSeconds), OneLine(r.Detail),
        }));
        return text.ToString();
    }

    /// <summary>The summaries as CSV (RFC 4180), full precision, one column per failure outcome.</summary>
    /// <param name="report">The report.</param>
    /// <returns>CSV text with a header row.</returns>
    public static string ToCsv(ResultsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failures = RunOutcomes.All.Where(o => o != RunOutcome.Scored).Select(o => o.ToName()).ToList();
        var text = new StringBuilder();
        CsvRow(text, ["task", "agent", "runs", "finished", "pending", "scored", .. failures, "agent_failures", "infrastructure_failures",
            "mean_score", "standard_error", "mean_scored_score", "standard_error_scored", "best_score", "best_run_id",
            "total_cost_usd", "mean_cost_usd", "input_tokens", "output_tokens", "mean_tokens", "total_wall_seconds", "mean_wall_seconds"]);
        foreach (var s in report.Summaries)
        {
            CsvRow(text, [s.Task, s.Agent, Int(s.Runs), Int(s.Finished), Int(s.Pending), Int(s.Scored), .. failures.Select(f => Int(s.Failures.GetValueOrDefault(f))),
                Int(s.AgentFailures), Int(s.InfrastructureFailures), Raw(s.MeanScore), Raw(s.StandardError), Raw(s.MeanScoredScore),
                Raw(s.StandardErrorScored), Raw(s.BestScore), s.BestRunId ?? "", Raw(s.TotalCostUsd), Raw(s.MeanCostUsd),
                Int(s.InputTokens), Int(s.OutputTokens), Raw(s.MeanTokens), Raw(s.TotalWallSeconds), Raw(s.MeanWallSeconds)]);
        }

        return text.ToString();
    }

    /// <summary>The runs as CSV (RFC 4180), full precision.</summary>
    /// <param name="report">The report.</param>
    /// <returns>CSV text with a header row.</returns>
    public static string ToRunsCsv(ResultsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        CsvRow(text, ["task", "agent", "run_id", "started_at", "outcome", "category", "score", "counted_score", "cost_usd", "input_tokens", "output_tokens", "wall_seconds", "detail"]);
        foreach (var r in report.Runs)
        {
            CsvRow(text, [r.Task, r.Agent, r.RunId, r.StartedAt.UtcDateTime.ToString("O", C), r.Outcome?.ToName() ?? "", r.Category ?? "",
                Raw(r.Score), Raw(r.CountedScore), Raw(r.CostUsd), Int(r.InputTokens), Int(r.OutputTokens), Raw(r.WallSeconds), r.Detail ?? ""]);
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        void Row(string[] cells) => text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).Append(" |\n");
        Row(header);
        text.Append('|').AppendJoin("|", widths.Select(w => new string('-', w + 2))).Append("|\n");
        foreach (var row in all.Skip(1))
        {
            Row(row);
        }
    }

    private static void CsvRow(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(",", cells.Select(c => c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c));
        text.Append("\r\n");
    }

    private static string Int(long value) => value.ToString(C);

    private static string Score(double? value) => value is { } v ? v.ToString("0.000", C) : "-";

    private static string Cost(decimal? value) => value is { } v ? "$" + v.ToString("0.00##", C) : "-";

    private static string Raw(double? value) => value is { } v ? v.ToString("R", C) : "";

    private static string Raw(decimal? value) => value is { } v ? v.ToString(C) : "";

    private static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "-";
        }

        var span = TimeSpan.FromSeconds(Math.Round(s));
        return span.TotalHours >= 1
            ? string.Create(C, $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s")
            : span.TotalMinutes >= 1 ? string.Create(C, $"{span.Minutes}m{span.Seconds:00}s") : string.Create(C, $"{span.Seconds}s");
    }

    private static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var line = text.ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal);
        return line.Length <= 80 ? line : line[..77] + "...";
    }
}
