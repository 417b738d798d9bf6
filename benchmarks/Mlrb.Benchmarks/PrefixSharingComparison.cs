using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mlrb.Eval.Scoring;

namespace Mlrb.Benchmarks;

/// <summary>
/// <c>prefix-score MODEL REQUESTS.json [threads] [--with-unshared]</c>: scores the same token requests (<c>[[ctx...],[cont...]]</c>
/// pairs) with the nested prefix-sharing scheduler, the single-level one (a context shared only by its own continuations) and, when
/// asked, no sharing; prints tokens/s for each (tokens = every request's model input, as the PyTorch reference counts them), the
/// tokens actually computed, and the largest log-likelihood difference from the last scheduler.
/// </summary>
internal static class PrefixSharingComparison
{
    public static async Task RunAsync(string[] args)
    {
        var model = args[0];
        var pairs = JsonSerializer.Deserialize<int[][][]>(File.ReadAllText(args[1]))!;
        var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var withUnshared = args.Contains("--with-unshared");
        var requests = pairs.Select(p => new TokenLogLikelihoodRequest(p[0], p[1])).ToList();
        var tokens = pairs.Sum(p => p[0].Length + p[1].Length - 1);
        (string Name, ModelScorerOptions Options)[] schedulers =
        [
            ("nested prefix sharing", new ModelScorerOptions { Threads = threads }),
            ("single-level sharing (previous scheduler)", new ModelScorerOptions { Threads = threads, NestPrefixes = false }),
            ("no sharing (packed passes only)", new ModelScorerOptions { Threads = threads, ReusePrefixes = false }),
        ];
        schedulers = withUnshared ? schedulers : schedulers[..2];

        var all = new List<IReadOnlyList<LogLikelihoodResult>>();
        var rates = new List<double>();
        foreach (var (name, options) in schedulers)
        {
            var scorer = ModelScorer.Load(model, options);
            await scorer.ScoreTokensAsync(requests.Take(4).ToList()).ConfigureAwait(false);
            long computed = 0;
            var progress = new Progress(p => computed = p.TokensProcessed);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var results = await scorer.ScoreTokensAsync(requests, progress).ConfigureAwait(false);
            var seconds = sw.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            all.Add(results);
            rates.Add(tokens / seconds);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"mlrb {name}: {requests.Count} requests, {tokens} tokens in {seconds:F2} s = {tokens / seconds:F0} tokens/s wall, {tokens / cpuSeconds:F0} per CPU-second (threads={threads}); computed {computed} tokens; first results: {string.Join(", ", results.Take(3).Select(r => r.LogLikelihood.ToString("F4", CultureInfo.InvariantCulture)))}"));
        }

        var reference = all[^1];
        for (var s = 0; s < schedulers.Length - 1; s++)
        {
            var diff = all[s].Select((r, i) => Math.Abs(r.LogLikelihood - reference[i].LogLikelihood)).Max();
            var greedy = all[s].Select((r, i) => r.IsGreedy == reference[i].IsGreedy).All(x => x);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb {schedulers[s].Name}: max |dLL| vs {schedulers[^1].Name} {diff:E2}, greedy flags identical: {greedy}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb nested / single-level: {rates[0] / rates[1]:F2}x"));
        if (withUnshared)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlrb nested / no sharing: {rates[0] / rates[2]:F2}x"));
        }
    }

    private sealed class Progress(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
