using Mlrb.Eval.Metrics;

namespace Mlrb.Eval.Benchmarks;

/// <summary>Turns per-document log-likelihoods into the subtask's metrics, as the harness's process_results + aggregation do.</summary>
internal static class SubtaskScoring
{
    /// <summary><c>np.argmax</c>: the first index of the maximum.</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Scores the documents that were completed (a prefix of the subtask when partial).</summary>
    public static SubtaskResult Score(BenchmarkSubtask subtask, IReadOnlyList<double[]> logLikelihoods)
    {
        var n = logLikelihoods.Count;
        var docs = subtask.Documents.Take(n).ToList();
        var predictions = logLikelihoods.Select(ArgMax).ToList();
        var metrics = new List<MetricValue>();
        switch (subtask.Metric)
        {
            case SubtaskMetric.Accuracy:
                metrics.Add(Mean("acc", docs.Select((d, i) => predictions[i] == d.Gold ? 1.0 : 0.0).ToList()));
                break;
            case SubtaskMetric.AccuracyAndMacroF1:
                metrics.Add(Mean("acc", docs.Select((d, i) => predictions[i] == d.Gold ? 1.0 : 0.0).ToList()));
                metrics.Add(new MetricValue("f1", n == 0 ? double.NaN : MacroF1.Compute(docs.Select(d => d.Gold).ToList(), predictions, 3), null));
                break;
            case SubtaskMetric.AccuracyAndNormalizedAccuracy:
                metrics.Add(Mean("acc", docs.Select((d, i) => predictions[i] == d.Gold ? 1.0 : 0.0).ToList()));
                metrics.Add(Mean("acc_norm", docs.Select((d, i) => ArgMax(Normalized(d, logLikelihoods[i])) == d.Gold ? 1.0 : 0.0).ToList()));
                break;
            case SubtaskMetric.SquadF1AndExactMatch:
                var f1 = new List<double>();
                var em = new List<double>();
                for (var i = 0; i < n; i++)
                {
                    var prediction = docs[i].Entities![predictions[i]];
                    f1.Add(SquadMetrics.MaxOverAnswers(SquadMetrics.F1, prediction, docs[i].Answers!));
                    em.Add(SquadMetrics.MaxOverAnswers(SquadMetrics.ExactMatch, prediction, docs[i].Answers!));
                }

                metrics.Add(Mean("f1", f1));
                metrics.Add(Mean("em", em));
                break;
            default:
                throw new InvalidOperationException("Unknown metric " + subtask.Metric);
        }

        return new SubtaskResult(subtask.Name, subtask.Group, n, metrics);
    }

    /// <summary>The harness's acc_norm input: each log-likelihood over its choice's length in characters (delimiter excluded).</summary>
    private static double[] Normalized(BenchmarkDocument document, double[] logLikelihoods)
        => [.. logLikelihoods.Select((ll, i) => ll / (document.Continuations[i].Length - FewShotContext.TargetDelimiter.Length))];

    private static MetricValue Mean(string name, IReadOnlyList<double> items)
    {
        var stderr = SampleStatistics.MeanStderr(items);
        return new MetricValue(name, SampleStatistics.Mean(items), double.IsNaN(stderr) ? null : stderr);
    }
}
