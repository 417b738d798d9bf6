using System.Globalization;
using Mlrb.Eval.Benchmarks;

namespace Mlrb.Eval.Reports;

/// <summary>The rows of the console table (Metric | Value): parameter rows first, then scores, then sub-scores.</summary>
internal static class ReportTable
{
    /// <summary>Builds the rows.</summary>
    /// <param name="report">The report.</param>
    /// <returns>(metric, value) rows.</returns>
    public static IReadOnlyList<(string Metric, string Value)> Rows(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var rows = new List<(string, string)>();
        if (report.Statistics is { } s)
        {
            rows.Add(("Total Parameters", s.TotalParameters.ToString("N0", c)));
            rows.Add(("Trainable Parameters", s.TrainableParameters.ToString("N0", c)));
            rows.Add(("Non-Trainable Parameters", s.NonTrainableParameters.ToString("N0", c)));
            if (s.NonZeroParameters is { } nz)
            {
                rows.Add(("Non-Zero Parameters", nz.ToString("N0", c)));
            }

            rows.Add(("Weight Bytes", $"{s.WeightBytes.ToString("N0", c)} ({Size(s.WeightBytes)})"));
            rows.Add(("DTypes", string.Join(", ", s.ParametersByDType.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", c)}"))));
        }

        if (report.DTypeRulePassed is { } dtypeOk)
        {
            rows.Add(("FP16/FP32 Only", dtypeOk ? "pass" : "FAIL"));
        }

        var limit = report.Plan?.MemoryLimitBytes is { } bytes ? $" (limit {Size(bytes)}: {(report.MemoryWithinLimit == true ? "pass" : "FAIL")})" : string.Empty;
        rows.Add(("Peak Process Memory", Size(report.PeakMemoryBytes) + limit));
        if (report.Result.TokensScored > 0)
        {
            rows.Add(("Scoring Tokens per Second", report.TokensPerSecond.ToString("F2", c)));
        }

        if (report.Score is { } score)
        {
            rows.Add(("Score", $"{Score(score, null)} ({report.ScoreName})"));
        }

        foreach (var a in report.Result.Aggregates)
        {
            rows.Add((a.Name, Score(a.Value, a.Stderr)));
        }

        foreach (var sub in report.Result.Subtasks.Where(x => x.Documents > 0))
        {
            foreach (var m in sub.Metrics)
            {
                rows.Add(($"  {sub.Name} {m.Name}", Score(m.Value, m.Stderr)));
            }
        }

        if (report.Result.Partial)
        {
            rows.Add(("Status", $"PARTIAL: {report.Result.RequestsScored} of {report.Result.TotalRequests} requests scored"));
        }

        foreach (var note in report.Result.Notes)
        {
            rows.Add(("Note", note));
        }

        if (report.Result.MissingSubtasks.Count > 0)
        {
            rows.Add(("Missing Subtasks", report.Result.MissingSubtasks.Count.ToString(c)));
        }

        if (report.Result.DataIssues.Count > 0)
        {
            rows.Add(("Skipped Rows", report.Result.DataIssues.Count.ToString(c)));
        }

        return rows;
    }

    /// <summary>A value with its stderr, 4 decimals.</summary>
    /// <param name="value">The value.</param>
    /// <param name="stderr">The stderr, if any.</param>
    /// <returns>E.g. <c>0.6543 ± 0.0123</c>.</returns>
    public static string Score(double value, double? stderr)
        => value.ToString("F4", CultureInfo.InvariantCulture) + (stderr is { } se ? " ± " + se.ToString("F4", CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>Bytes in binary units.</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>E.g. <c>1.50 GiB</c>.</returns>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? $"{bytes} B" : v.ToString("F2", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
