using Mlrb.Eval.Scoring;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>Log-likelihoods and greedy flags against the independent PyTorch reference (tests/reference/generate.py).</summary>
public class GoldenScoringTests
{
    private const double Tolerance = 1e-4;

    public static IEnumerable<TestCaseData> Schedules()
    {
        yield return new TestCaseData(new ModelScorerOptions()).SetArgDisplayNames("batched+prefix-reuse");
        yield return new TestCaseData(new ModelScorerOptions { MaxBatchSequences = 1, ReusePrefixes = false, Threads = 1 }).SetArgDisplayNames("one-request-per-pass");
        yield return new TestCaseData(new ModelScorerOptions { MaxBatchTokens = 7, Threads = 2 }).SetArgDisplayNames("tiny-batches");
        yield return new TestCaseData(new ModelScorerOptions { LogitChunkRows = 3 }).SetArgDisplayNames("lm-head-in-3-row-chunks");
    }

    [TestCaseSource(nameof(Schedules))]
    public async Task TinyGpt2_TokenRequests_MatchPyTorch(ModelScorerOptions options)
        => await AssertTokenRequestsAsync(GoldenFile.ModelPath("tiny-gpt2"), GoldenFile.Read("tiny-gpt2"), options);

    [TestCaseSource(nameof(Schedules))]
    public async Task TinyLlama_Bf16TiedLinearRope_TokenRequests_MatchPyTorch(ModelScorerOptions options)
        => await AssertTokenRequestsAsync(GoldenFile.ModelPath("tiny-llama"), GoldenFile.Read("tiny-llama"), options);

    [TestCaseSource(nameof(Schedules))]
    public async Task TinyQwen2_F16ShardedUntiedBiasMqa_TokenRequests_MatchPyTorch(ModelScorerOptions options)
        => await AssertTokenRequestsAsync(GoldenFile.ModelPath("tiny-qwen2"), GoldenFile.Read("tiny-qwen2"), options);

    [Test]
    public async Task Llama2xsCustom512_TokenRequests_MatchPyTorch()
    {
        var model = TestPaths.RequireSharedData("models/llama2xs-custom512");
        await AssertTokenRequestsAsync(model, GoldenFile.Read("llama2xs-custom512"), new ModelScorerOptions());
    }

    [TestCase("tiny-gpt2")]
    [TestCase("tiny-llama")]
    [TestCase("tiny-qwen2")]
    public async Task TextRequests_WithReferenceEncodings_MatchPyTorch(string name)
    {
        var golden = GoldenFile.Read(name);
        var bosText = golden.BosTokenId is null ? null : "<s>";
        var tokenizer = new DictionaryTokenizer(golden.Encodings, golden.BosTokenId, bosText);
        var scorer = ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Tokenizer = tokenizer, PrefixTokenId = golden.PrefixTokenId });

        var results = await scorer.ScoreAsync(golden.TextRequests.Select(r => new LogLikelihoodRequest(r.ContextText, r.ContinuationText)).ToList());

        Assert.That(results, Has.Count.EqualTo(golden.TextRequests.Count));
        for (var i = 0; i < results.Count; i++)
        {
            var g = golden.TextRequests[i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].LogLikelihood, Is.EqualTo(g.LogLikelihood).Within(Tolerance), $"text request {i}");
                Assert.That(results[i].IsGreedy, Is.EqualTo(g.IsGreedy), $"greedy {i}");
                Assert.That(results[i].ContextTokens, Is.EqualTo(g.ContextTokens!.Length), $"context tokens {i}");
                Assert.That(results[i].ContinuationTokens, Is.EqualTo(g.ContinuationTokens!.Length), $"continuation tokens {i}");
            });
        }
    }

    [TestCase("tiny-gpt2")]
    [TestCase("tiny-llama")]
    [TestCase("tiny-qwen2")]
    public async Task TextRequests_WithTheFolderTokenizer_MatchPyTorch(string name)
    {
        var golden = GoldenFile.Read(name);
        var scorer = ModelScorer.Load(GoldenFile.ModelPath(name));

        var results = await scorer.ScoreAsync(golden.TextRequests.Select(r => new LogLikelihoodRequest(r.ContextText, r.ContinuationText)).ToList());

        for (var i = 0; i < results.Count; i++)
        {
            var g = golden.TextRequests[i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].LogLikelihood, Is.EqualTo(g.LogLikelihood).Within(Tolerance), $"text request {i}");
                Assert.That(results[i].IsGreedy, Is.EqualTo(g.IsGreedy), $"greedy {i}");
                Assert.That(results[i].ContextTokens, Is.EqualTo(g.ContextTokens!.Length), $"context tokens {i}");
                Assert.That(results[i].ContinuationTokens, Is.EqualTo(g.ContinuationTokens!.Length), $"continuation tokens {i}");
            });
        }
    }

    private static async Task AssertTokenRequestsAsync(string modelPath, GoldenFile golden, ModelScorerOptions options)
    {
        var scorer = ModelScorer.Load(modelPath, options);
        Assert.That(scorer.MaxLength, Is.EqualTo(golden.MaxLength));
        var requests = golden.TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();

        var results = await scorer.ScoreTokensAsync(requests);

        Assert.That(results, Has.Count.EqualTo(requests.Count));
        Assert.That(golden.TokenRequests.Count(r => r.IsGreedy), Is.GreaterThan(0), "the golden set must contain greedy continuations");
        for (var i = 0; i < results.Count; i++)
        {
            var g = golden.TokenRequests[i];
            Assert.Multiple(() =>
            {
                Assert.That(results[i].LogLikelihood, Is.EqualTo(g.LogLikelihood).Within(Tolerance), $"request {i}");
                Assert.That(results[i].IsGreedy, Is.EqualTo(g.IsGreedy), $"greedy flag of request {i}");
                Assert.That(results[i].ContinuationTokens, Is.EqualTo(g.ContinuationIds.Length));
            });
        }
    }
}
