using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>
/// The nested prefix-sharing scheduler against one-request-at-a-time scoring on k-shot-shaped request sets: same log-likelihoods
/// (fp32, 1e-5) and greedy flags on every architecture family, including sliding-window, soft-capped and LongRoPE models.
/// </summary>
public class PrefixSharingTests
{
    private static readonly string[] Models =
    [
        "tiny-gpt2", "tiny-llama", "tiny-qwen2", "tiny-phi", "tiny-phi3-longrope", "tiny-neox-parallel", "tiny-opt",
        "tiny-gemma2", "tiny-mistral-window", "tiny-qwen2-window",
    ];

    private static readonly (string Name, ModelScorerOptions Options)[] Schedules =
    [
        ("nested", new ModelScorerOptions()),
        ("nested-one-thread-small-passes", new ModelScorerOptions { Threads = 1, MaxBatchTokens = 9, MaxBatchSequences = 3 }),
        ("nested-cache-budget-for-one-level", new ModelScorerOptions { PrefixCacheBytes = 20_000 }),
        ("nested-no-cache-room", new ModelScorerOptions { PrefixCacheBytes = 1 }),
        ("single-level", new ModelScorerOptions { NestPrefixes = false }),
    ];

    public static IEnumerable<TestCaseData> Cases()
        => from model in Models
           from schedule in Schedules
           select new TestCaseData(model, schedule.Options).SetArgDisplayNames(model, schedule.Name);

    [TestCaseSource(nameof(Cases))]
    public async Task KShotRequests_MatchOneRequestAtATime(string model, ModelScorerOptions options)
    {
        var single = ModelScorer.Load(GoldenFile.ModelPath(model), new ModelScorerOptions { ReusePrefixes = false, MaxBatchSequences = 1, Threads = 1 });
        var requests = await WithGreedyChoicesAsync(single, KShotRequests.Create());
        var expected = new List<LogLikelihoodResult>();
        foreach (var r in requests)
        {
            expected.AddRange(await single.ScoreTokensAsync([r]));
        }

        var results = await ModelScorer.Load(GoldenFile.ModelPath(model), options).ScoreTokensAsync(requests);

        Assert.That(results, Has.Count.EqualTo(requests.Count));
        Assert.That(expected.Count(r => r.IsGreedy), Is.GreaterThan(0), "the set should contain greedy continuations");
        for (var i = 0; i < results.Count; i++)
        {
            Assert.That(results[i].LogLikelihood, Is.EqualTo(expected[i].LogLikelihood), $"request {i}: scoring over a cached prefix is bit-identical to scoring the whole sequence");
            Assert.That(results[i].IsGreedy, Is.EqualTo(expected[i].IsGreedy), $"greedy flag of request {i}");
        }
    }

    [TestCaseSource(nameof(Models))]
    public async Task KShotRequests_OnTheIlgpuCpuAccelerator_MatchOneRequestAtATime_AndTheCpuBackend(string model)
    {
        var cpuSingle = ModelScorer.Load(GoldenFile.ModelPath(model), new ModelScorerOptions { ReusePrefixes = false, MaxBatchSequences = 1, Threads = 1 });
        var requests = await WithGreedyChoicesAsync(cpuSingle, KShotRequests.Create());
        var single = ModelScorer.Load(GoldenFile.ModelPath(model), new ModelScorerOptions { Device = "ilgpu-cpu", ReusePrefixes = false, MaxBatchSequences = 1 });
        var expected = new List<LogLikelihoodResult>();
        foreach (var r in requests)
        {
            expected.AddRange(await single.ScoreTokensAsync([r]));
        }

        var nested = await ModelScorer.Load(GoldenFile.ModelPath(model), new ModelScorerOptions { Device = "ilgpu-cpu" }).ScoreTokensAsync(requests);
        var cpu = await ModelScorer.Load(GoldenFile.ModelPath(model)).ScoreTokensAsync(requests);

        Assert.That(nested, Has.Count.EqualTo(requests.Count));
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.That(nested[i].LogLikelihood, Is.EqualTo(expected[i].LogLikelihood).Within(1e-5), $"request {i}: ILGPU prefix sharing vs ILGPU one at a time");
            Assert.That(nested[i].IsGreedy, Is.EqualTo(expected[i].IsGreedy), $"greedy flag of request {i}");
            Assert.That(nested[i].LogLikelihood, Is.EqualTo(cpu[i].LogLikelihood).Within(1e-4), $"request {i}: ILGPU vs the CPU backend");
            Assert.That(nested[i].IsGreedy, Is.EqualTo(cpu[i].IsGreedy), $"greedy flag of request {i} vs the CPU backend");
        }
    }

    [Test]
    public async Task NestedSharing_ComputesFewerTokens_ThanSingleLevel()
    {
        var requests = KShotRequests.Create();
        async Task<long> ComputedAsync(bool nested)
        {
            ScoringProgress? last = null;
            var scorer = ModelScorer.Load(GoldenFile.ModelPath("tiny-gpt2"), new ModelScorerOptions { NestPrefixes = nested });
            await scorer.ScoreTokensAsync(requests, new Progress(p => last = p));
            return last!.TokensProcessed;
        }

        var nested = await ComputedAsync(true);
        var single = await ComputedAsync(false);
        var full = requests.Sum(r => r.Context.Count + r.Continuation.Count - 1);

        Assert.That(single, Is.LessThan(full));
        Assert.That(nested, Is.LessThan(single * 0.8), $"nested {nested} vs single-level {single} of {full}");
    }

    [Test]
    public void CachedPrefixes_StayUnderTheByteBudget()
    {
        var scorer = (LogLikelihoodScorer)ModelScorer.Load(GoldenFile.ModelPath("tiny-gpt2"));
        var requests = KShotRequests.Create().Select(r => (r.Context.ToArray(), r.Continuation.ToArray())).ToList();
        var plan = ScoringPlan.Create(requests, scorer.MaxLength, reusePrefixes: true);
        var scored = 0;
        long Peak(long budget)
        {
            var scheduler = new PrefixScheduler(scorer.Model, new ModelScorerOptions { PrefixCacheBytes = budget }, new ParallelOptions(), (items, _) => scored += items.Count, _ => { });
            scheduler.Run(plan.Root);
            return scheduler.PeakCacheBytes;
        }

        var unbounded = Peak(long.MaxValue);
        scored = 0;
        var capped = Peak(unbounded / 2);

        Assert.That(scored, Is.EqualTo(plan.ItemCount), "every input is still scored");
        Assert.That(capped, Is.GreaterThan(0).And.LessThanOrEqualTo(unbounded / 2));
        Assert.That(Peak(1), Is.Zero);
    }

    /// <summary>
    /// Adds, for some k-shot contexts, the model's own greedy next token as a further choice, so greedy flags are exercised
    /// (random continuations are almost never greedy).
    /// </summary>
    private static async Task<List<TokenLogLikelihoodRequest>> WithGreedyChoicesAsync(ILogLikelihoodScorer scorer, List<TokenLogLikelihoodRequest> requests)
    {
        var contexts = requests.Select(r => r.Context).DistinctBy(c => string.Join(',', c)).Where((_, i) => i % 2 == 0).ToList();
        var result = new List<TokenLogLikelihoodRequest>(requests);
        foreach (var context in contexts)
        {
            var everyToken = Enumerable.Range(0, 304).Select(t => new TokenLogLikelihoodRequest(context, [t])).ToList();
            var scores = await scorer.ScoreTokensAsync(everyToken);
            var best = Enumerable.Range(0, 304).MaxBy(t => scores[t].LogLikelihood);
            result.Add(new TokenLogLikelihoodRequest(context, [best]));
        }

        return result;
    }

    private sealed class Progress(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
