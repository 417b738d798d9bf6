using System.Diagnostics;
using System.Text.Json;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Statistics;

namespace Mlrb.Cli.Commands.Score;

/// <summary>
/// <c>mlrb score --requests FILE</c>: scores a whole file of requests in one scheduler call and prints one JSON object with the results
/// in request order and the figures benchmarks/scripts/gpu-check.sh compares (tokens, seconds, tokens per second, memory).
/// </summary>
internal static class ScoreFileRunner
{
    /// <summary>Loads the model, scores the file and writes the JSON report to <paramref name="output"/>.</summary>
    /// <param name="modelDirectory">Model folder.</param>
    /// <param name="adapter">Adapter folder or null.</param>
    /// <param name="requestsPath">The request file (<see cref="RequestFile"/>).</param>
    /// <param name="options">Scorer options (device, dtype, threads).</param>
    /// <param name="warmup">Requests scored once before timing (kernel compilation, caches), not counted.</param>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="cancellationToken">Stops scoring.</param>
    public static async Task RunAsync(string modelDirectory, string? adapter, string requestsPath, ModelScorerOptions options, int warmup, TextWriter output, CancellationToken cancellationToken)
    {
        var file = RequestFile.Read(requestsPath);
        var clock = Stopwatch.StartNew();
        var scorer = ModelScorer.Load(modelDirectory, options with { Adapter = adapter });
        var loadSeconds = clock.Elapsed.TotalSeconds;

        if (warmup > 0)
        {
            _ = await Score(scorer, file, Math.Min(warmup, file.Count), cancellationToken).ConfigureAwait(false);
        }

        clock.Restart();
        var results = await Score(scorer, file, file.Count, cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;

        // Per request, context + continuation − 1 tokens as given (the last continuation token is never an input; left truncation of
        // over-long requests not subtracted): the count benchmarks/scripts/torch_scoring.py and gpu_check_torch.py use for PyTorch.
        var tokens = results.Sum(r => (long)r.ContextTokens + r.ContinuationTokens - 1);
        var report = new Dictionary<string, object?>
        {
            ["model"] = modelDirectory,
            ["requests"] = results.Count,
            ["tokens"] = tokens,
            ["load_seconds"] = Math.Round(loadSeconds, 3),
            ["score_seconds"] = Math.Round(seconds, 3),
            ["tokens_per_second"] = seconds > 0 ? Math.Round(tokens / seconds, 1) : null,
            ["peak_process_memory_bytes"] = PeakMemory.CurrentProcessPeakBytes(),
            ["results"] = results.Select(r => new object[] { r.LogLikelihood, r.IsGreedy }).ToList(),
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(report)).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<LogLikelihoodResult>> Score(ILogLikelihoodScorer scorer, RequestFile file, int count, CancellationToken cancellationToken)
        => file.Tokens is { } tokens
            ? await scorer.ScoreTokensAsync(count == tokens.Count ? tokens : [.. tokens.Take(count)], cancellationToken: cancellationToken).ConfigureAwait(false)
            : await scorer.ScoreAsync(count == file.Texts!.Count ? file.Texts : [.. file.Texts.Take(count)], cancellationToken: cancellationToken).ConfigureAwait(false);
}
