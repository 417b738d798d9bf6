using System.Diagnostics;
using Mlrb.Eval.Data;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Telemetry;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// Runs a benchmark against an <see cref="ILogLikelihoodScorer"/>: reads the data, renders the harness prompts, scores
/// the requests in chunks (with progress), and computes subtask and group scores. Cancelling keeps what was scored.
/// </summary>
public static class BenchmarkEvaluation
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="scorer">The model's scorer.</param>
    /// <param name="options">What to run.</param>
    /// <param name="progress">Receives progress after each chunk.</param>
    /// <param name="cancellationToken">Stops the run; the result is then marked partial.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="BenchmarkDataException">The data is missing or, in strict mode, malformed.</exception>
    public static async Task<BenchmarkResult> RunAsync(
        ILogLikelihoodScorer scorer,
        EvaluationOptions options,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(options);
        (List<BenchmarkSubtask> Subtasks, List<string> Missing, IReadOnlyList<DataIssue> Issues, int Shots) built;
        using (var prepare = EvalTelemetry.Start("prepare"))
        {
            prepare?.SetTag("mlrb.eval.benchmark", options.Benchmark.ToString());
            built = Build(options);
            prepare?.SetTag(EvalTelemetry.RequestsTag, built.Subtasks.Sum(s => s.Documents.Sum(d => d.Continuations.Count)));
        }

        var subtasks = options.Shard is { } shard
            ? [.. built.Subtasks.Select(s => s with { Documents = [.. s.Documents.Where((_, position) => shard.Contains(position))] })]
            : built.Subtasks;
        var total = subtasks.Sum(s => s.Documents.Sum(d => d.Continuations.Count));
        var lls = subtasks.Select(_ => new List<double[]>()).ToList();
        var clock = Stopwatch.StartNew();
        var completed = 0;
        long tokens = 0;
        var partial = false;
        using var activity = EvalTelemetry.Start("score");
        activity?.SetTag("mlrb.eval.benchmark", options.Benchmark.ToString());
        try
        {
            foreach (var chunk in Chunks(subtasks, Math.Max(1, options.RequestsPerChunk)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var requests = chunk.SelectMany(c => subtasks[c.Subtask].Documents[c.Document].Continuations
                    .Select(cont => new LogLikelihoodRequest(subtasks[c.Subtask].Documents[c.Document].Context, cont))).ToList();
                var tokenReport = new TokenCounter();
                var results = await scorer.ScoreAsync(requests, tokenReport, cancellationToken).ConfigureAwait(false);
                if (results.Count != requests.Count)
                {
                    throw new InvalidOperationException($"The scorer returned {results.Count} results for {requests.Count} requests.");
                }

                var r = 0;
                foreach (var (s, d) in chunk)
                {
                    var k = subtasks[s].Documents[d].Continuations.Count;
                    lls[s].Add(results.Skip(r).Take(k).Select(x => x.LogLikelihood).ToArray());
                    r += k;
                }

                completed += requests.Count;
                tokens += tokenReport.Tokens > 0 ? tokenReport.Tokens : results.Sum(x => (long)x.ContextTokens + x.ContinuationTokens);
                progress?.Report(new EvaluationProgress(completed, total, clock.Elapsed));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            partial = true;
        }

        EvalTelemetry.Record(activity, "score", tokens, completed, clock.Elapsed);
        activity?.SetTag("mlrb.eval.partial", partial);
        var scored = subtasks.Select((s, i) => SubtaskScoring.Score(s, lls[i])).ToList();
        return new BenchmarkResult
        {
            Benchmark = options.Benchmark,
            Subtasks = scored,
            Aggregates = BenchmarkAggregation.Aggregate(options.Benchmark, scored),
            MissingSubtasks = built.Missing,
            DataIssues = built.Issues,
            Documents = options.KeepDocuments ? Predictions(subtasks, lls) : [],
            Partial = partial,
            RequestsScored = completed,
            TotalRequests = total,
            TokensScored = tokens,
            ScoringTime = clock.Elapsed,
            Shots = built.Shots,
        };
    }

    /// <summary>Reads the data and renders every document (no scoring).</summary>
    internal static (List<BenchmarkSubtask> Subtasks, List<string> Missing, IReadOnlyList<DataIssue> Issues, int Shots) Build(EvaluationOptions options)
    {
        if (!Directory.Exists(options.DataDirectory))
        {
            throw new BenchmarkDataException(options.DataDirectory, 0, "data folder not found");
        }

        var shots = options.Shots ?? 0;
        ArgumentOutOfRangeException.ThrowIfNegative(shots);
        var settings = new BuildSettings(options.DataDirectory, shots, options.Limit, options.FixMultiRc, new DataIssueLog(options.Strict, options.MaxRowBytes))
        {
            Split = options.Split,
            Subtasks = options.Subtasks,
        };
        var subtasks = options.Benchmark switch
        {
            BenchmarkKind.Blimp => BlimpBenchmark.Build(settings),
            BenchmarkKind.Mmlu => MmluBenchmark.Build(settings),
            BenchmarkKind.SuperGlue => SuperGlueBenchmark.Build(settings),
            BenchmarkKind.MathQa => MathQaBenchmark.Build(settings),
            _ => throw new ArgumentException($"{options.Benchmark} is not a log-likelihood benchmark.", nameof(options)),
        };
        if (subtasks.Count == 0)
        {
            var folder = BenchmarkNaming.Name(options.Benchmark);
            var which = options.Subtasks.Count > 0 ? $" for {string.Join(", ", options.Subtasks)}" : string.Empty;
            throw new BenchmarkDataException(Path.Combine(options.DataDirectory, folder), 0, $"no {options.Benchmark} data found{which} (split {options.Split.ToString().ToLowerInvariant()}; see docs/eval-benchmarks.md for the layout)");
        }

        return (subtasks, settings.Missing, settings.Log.Issues, shots);
    }

    private static IEnumerable<List<(int Subtask, int Document)>> Chunks(List<BenchmarkSubtask> subtasks, int perChunk)
    {
        var chunk = new List<(int, int)>();
        var count = 0;
        for (var s = 0; s < subtasks.Count; s++)
        {
            for (var d = 0; d < subtasks[s].Documents.Count; d++)
            {
                chunk.Add((s, d));
                count += subtasks[s].Documents[d].Continuations.Count;
                if (count >= perChunk)
                {
                    yield return chunk;
                    chunk = [];
                    count = 0;
                }
            }
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static List<DocumentPrediction> Predictions(List<BenchmarkSubtask> subtasks, List<List<double[]>> lls)
    {
        var list = new List<DocumentPrediction>();
        for (var s = 0; s < subtasks.Count; s++)
        {
            for (var d = 0; d < lls[s].Count; d++)
            {
                var doc = subtasks[s].Documents[d];
                list.Add(new DocumentPrediction(subtasks[s].Name, doc.Index, doc.Line, lls[s][d], SubtaskScoring.ArgMax(lls[s][d]), doc.Gold));
            }
        }

        return list;
    }

    /// <summary>Keeps the last token count a scorer reports (the progress callback runs synchronously here).</summary>
    private sealed class TokenCounter : IProgress<ScoringProgress>
    {
        public long Tokens { get; private set; }

        public void Report(ScoringProgress value) => Tokens = Math.Max(Tokens, value.TokensProcessed);
    }
}
