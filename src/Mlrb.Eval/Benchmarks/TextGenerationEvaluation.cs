using System.Diagnostics;
using Mlrb.Eval.Data;
using Mlrb.Eval.Metrics;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// Scores generated text for <c>math_reasoning</c>: corpus BLEU (sacrebleu defaults, reported /100), ROUGE-L F1 and,
/// when a Lean executable is configured, the share of predictions that compile.
/// </summary>
public static class TextGenerationEvaluation
{
    /// <summary>The subtask name used in reports.</summary>
    public const string SubtaskName = "math_reasoning";

    /// <summary>
    /// Scores a predictions file: JSON lines with <c>prediction</c> and <c>reference</c> (or <c>formal_proof</c>, the
    /// field of the task's autoformalization data).
    /// </summary>
    /// <param name="predictionsPath">The predictions file.</param>
    /// <param name="lean">The Lean checker; an unset executable reports the pass rate as unavailable.</param>
    /// <param name="limit">Score only the first N rows.</param>
    /// <param name="strict">Throw on the first bad row.</param>
    /// <param name="progress">Progress per Lean check.</param>
    /// <param name="cancellationToken">Stops the Lean checks; the result is then partial.</param>
    /// <returns>The scores.</returns>
    public static async Task<BenchmarkResult> RunAsync(
        string predictionsPath,
        LeanOptions lean,
        int? limit = null,
        bool strict = false,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lean);
        var log = new DataIssueLog(strict);
        var rows = JsonlFile.Read(predictionsPath, log, static (r, _) =>
            (Prediction: r.String("prediction"), Reference: r.Has("reference") ? r.String("reference") : r.String("formal_proof")));
        if (limit is { } n)
        {
            rows = rows.Take(n).ToList();
        }

        if (rows.Count == 0)
        {
            throw new BenchmarkDataException(predictionsPath, 0, "no predictions to score");
        }

        var predictions = rows.Select(r => r.Prediction).ToList();
        var references = rows.Select(r => r.Reference).ToList();
        var metrics = new List<MetricValue>
        {
            new("bleu", CorpusBleu.Compute(predictions, references).Score / 100.0, null),
            MeanMetric("rouge_l", predictions.Select((p, i) => RougeL.F1(p, references[i])).ToList()),
        };
        var notes = new List<string>();
        var partial = false;
        var clock = Stopwatch.StartNew();
        var checker = new LeanChecker(lean);
        if (checker.Available)
        {
            var passes = new List<double>();
            try
            {
                foreach (var p in predictions)
                {
                    var check = await checker.CheckAsync(p, cancellationToken).ConfigureAwait(false);
                    passes.Add(check.Passed ? 1 : 0);
                    progress?.Report(new EvaluationProgress(passes.Count, predictions.Count, clock.Elapsed));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                partial = true;
                notes.Add($"lean_pass_rate covers the first {passes.Count} of {predictions.Count} predictions (cancelled)");
            }

            if (passes.Count > 0)
            {
                metrics.Add(MeanMetric("lean_pass_rate", passes));
            }
        }
        else
        {
            notes.Add("lean_pass_rate: unavailable (no Lean executable configured; pass --lean PATH)");
        }

        var subtask = new SubtaskResult(SubtaskName, SubtaskName, rows.Count, metrics);
        var aggregate = new AggregateResult(
            SubtaskName,
            metrics.Average(m => m.Value),
            null,
            "mean of " + string.Join(", ", metrics.Select(m => m.Name)) + " (BLEU on a 0-1 scale)");
        return new BenchmarkResult
        {
            Benchmark = BenchmarkKind.TextGeneration,
            Subtasks = [subtask],
            Aggregates = [aggregate],
            DataIssues = log.Issues,
            Notes = notes,
            Partial = partial,
            RequestsScored = rows.Count,
            TotalRequests = rows.Count,
            ScoringTime = clock.Elapsed,
        };
    }

    private static MetricValue MeanMetric(string name, IReadOnlyList<double> items)
    {
        var se = SampleStatistics.MeanStderr(items);
        return new MetricValue(name, SampleStatistics.Mean(items), double.IsNaN(se) ? null : se);
    }
}
