using Mlrb.Eval.Scoring;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>Log-likelihoods and greedy flags against the independent PyTorch reference (tests/reference/generate.py).</summary>
public class GoldenScoringTests
{
    private const double Tolerance = 1e-4;

    private static readonly (string Name, ModelScorerOptions Options)[] ScheduleList =
    [
        ("batched+prefix-reuse", new ModelScorerOptions()),
        ("one-request-per-pass", new ModelScorerOptions { MaxBatchSequences = 1, ReusePrefixes = false, Threads = 1 }),
        ("tiny-batches", new ModelScorerOptions { MaxBatchTokens = 7, Threads = 2 }),
        ("lm-head-in-3-row-chunks", new ModelScorerOptions { LogitChunkRows = 3 }),
    ];

    public static IEnumerable<TestCaseData> Schedules()
        => ScheduleList.Select(s => new TestCaseData(s.Options).SetArgDisplayNames(s.Name));

    /// <summary>Every tiny model folder with a golden file: the architectures and the config features they cover.</summary>
    public static readonly string[] Models =
    [
        "tiny-gpt2", "tiny-llama", "tiny-qwen2",
        "tiny-phi", "tiny-phi-msft", "tiny-phi3-longrope", "tiny-neox-parallel", "tiny-neox-sequential", "tiny-opt", "tiny-opt-350m",
        "tiny-gemma", "tiny-gemma2", "tiny-mistral-window", "tiny-qwen2-window", "tiny-llama-yarn", "tiny-llama-llama3rope",
    ];

    public static IEnumerable<TestCaseData> ModelsAndSchedules()
        => from model in Models
           from schedule in ScheduleList
           select new TestCaseData(model, schedule.Options).SetArgDisplayNames(model, schedule.Name);

    [TestCaseSource(nameof(ModelsAndSchedules))]
    public async Task EveryArchitecture_TokenRequests_MatchPyTorch(string model, ModelScorerOptions options)
        => await AssertTokenRequestsAsync(GoldenFile.ModelPath(model), GoldenFile.Read(model), options);

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

    [TestCaseSource(nameof(Models))]
    public async Task TextRequests_WithReferenceEncodings_MatchPyTorch(string name)
    {
        var golden = GoldenFile.Read(name);
        var bosText = golden.BosTokenId is null ? null : name.StartsWith("tiny-opt", StringComparison.Ordinal) ? "</s>" : "<s>";
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

    [TestCaseSource(nameof(Models))]
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
