using System.Globalization;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Statistics;

namespace Mlrb.Eval.Evaluation;

/// <summary>
/// Refuses numbers that are not scores: non-finite weights (before scoring), non-finite log-likelihoods or headline
/// (the model's fault: an invalid submission), and a run that scored no document (the data's fault: an evaluation error).
/// </summary>
internal static class ScoreChecks
{
    /// <summary>"32 non-finite weight values (NaN or infinity) in t (32)"; null when every weight is finite.</summary>
    public static string? NonFiniteWeights(ModelStatistics statistics)
    {
        if (statistics is not { NonFiniteValues: > 0 } s)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var tensors = s.NonFiniteByTensor.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var named = string.Join(", ", tensors.Take(3).Select(kv => $"{kv.Key} ({kv.Value.ToString("N0", c)})"));
        var more = tensors.Count > 3 ? $" and {tensors.Count - 3} more tensors" : "";
        return $"{s.NonFiniteValues.Value.ToString("N0", c)} non-finite weight values (NaN or infinity) in {named}{more}; refusing to score this model";
    }

    /// <summary>The problem with a finished result, or null when it holds a usable score.</summary>
    public static (bool ModelFault, string Detail)? Problem(BenchmarkResult r, string dataDirectory)
    {
        var bad = r.Documents.FirstOrDefault(d => d.LogLikelihoods.Any(x => !double.IsFinite(x)));
        if (bad is not null)
        {
            var value = bad.LogLikelihoods.First(x => !double.IsFinite(x));
            var count = r.Documents.Count(d => d.LogLikelihoods.Any(x => !double.IsFinite(x)));
            return (true, $"document {bad.Subtask} #{bad.Index} (line {bad.Line}) has log-likelihood {Format(value)} ({count} of {r.Documents.Count} documents): the model's activations overflowed; no score reported");
        }

        if (!r.Partial && r.Subtasks.All(s => s.Documents == 0) && r.Generations.Count == 0)
        {
            var reasons = new List<string>();
            if (r.DataIssues.Count > 0)
            {
                reasons.Add($"{r.DataIssues.Count} bad rows skipped (first: {r.DataIssues[0]})");
            }

            if (r.MissingSubtasks.Count > 0)
            {
                reasons.Add($"{r.MissingSubtasks.Count} subtasks have no data (first: {r.MissingSubtasks[0]})");
            }

            if (reasons.Count == 0)
            {
                reasons.Add("the data files hold no rows");
            }

            return (false, $"no document was scored in {dataDirectory}: {string.Join("; ", reasons)}");
        }

        if (!r.Partial && r.Aggregates.Count > 0 && !double.IsFinite(r.Aggregates[0].Value))
        {
            return (true, $"the headline score {r.Aggregates[0].Name} is {Format(r.Aggregates[0].Value)}; no score reported");
        }

        return null;
    }

    private static string Format(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
