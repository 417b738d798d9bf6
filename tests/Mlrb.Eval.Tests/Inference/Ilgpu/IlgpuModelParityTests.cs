using Mlrb.Eval.Generation;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tests.Generation;
using Mlrb.Eval.Tests.Scoring;

namespace Mlrb.Eval.Tests.Inference.Ilgpu;

/// <summary>
/// The ILGPU backend on ILGPU's CPU accelerator (<c>--device ilgpu-cpu</c>) against the SIMD CPU backend, for every architecture on the
/// backend seam: log-likelihoods within 1e-4 and identical greedy flags for token-id and text requests (truncated requests and
/// sliding-window models included), the same numbers with one request per pass, and token-for-token equal greedy generation.
/// Request subsets keep the suite fast (see <see cref="Pick"/>).
/// </summary>
[NonParallelizable]
public class IlgpuModelParityTests
{
    private const double Tolerance = 1e-4;

    /// <summary>The decoder architectures (every tiny reference model) and the two T5 models (which run on the seam too).</summary>
    public static IEnumerable<string> AllModels() => GoldenScoringTests.Models.Concat(T5GoldenTests.Models);

    [TestCaseSource(nameof(AllModels))]
    public async Task TokenRequests_MatchTheCpuBackend(string name)
    {
        var golden = GoldenFile.Read(name);
        var picked = Pick(golden);
        var requests = picked.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();
        Assert.That(picked.Any(r => r.ContextIds.Length + r.ContinuationIds.Length > golden.MaxLength), Is.True, "the picked requests include truncated ones");

        var cpu = await ModelScorer.Load(GoldenFile.ModelPath(name)).ScoreTokensAsync(requests);
        var ilgpu = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Device = "ilgpu-cpu" }).ScoreTokensAsync(requests);

        AssertSame(cpu, ilgpu, picked);
    }

    [TestCase("tiny-gpt2")]
    [TestCase("tiny-llama")]
    [TestCase("tiny-gemma2")]
    public async Task Bf16Compute_MatchesTheCpuBackendsBf16_AndDiffersFromFp32(string name)
    {
        var golden = GoldenFile.Read(name);
        var picked = Pick(golden);
        var requests = picked.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();

        var cpu = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { DType = ComputeDType.Bf16 }).ScoreTokensAsync(requests);
        var ilgpu = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { DType = ComputeDType.Bf16, Device = "ilgpu-cpu" }).ScoreTokensAsync(requests);
        var fp32 = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Device = "ilgpu-cpu" }).ScoreTokensAsync(requests);

        // Both backends round every GEMM input to bf16 and accumulate in fp32; a last-bit difference in an activation can round the other
        // way, so the bf16 modes agree to about bf16's precision rather than fp32's.
        TestContext.Out.WriteLine($"{name}: max |ilgpu - cpu| in bf16 {Enumerable.Range(0, requests.Count).Max(i => Math.Abs(ilgpu[i].LogLikelihood - cpu[i].LogLikelihood)):E2}, max |bf16 - fp32| {Enumerable.Range(0, requests.Count).Max(i => Math.Abs(ilgpu[i].LogLikelihood - fp32[i].LogLikelihood)):E2}");
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.That(ilgpu[i].LogLikelihood, Is.EqualTo(cpu[i].LogLikelihood).Within(2e-2 + (2e-3 * Math.Abs(cpu[i].LogLikelihood))), $"request {i}");
        }

        Assert.That(Enumerable.Range(0, requests.Count).Max(i => Math.Abs(ilgpu[i].LogLikelihood - fp32[i].LogLikelihood)), Is.GreaterThan(1e-2), "bf16 mode is in effect on the ILGPU backend");
    }

    [TestCase("tiny-gpt2")]
    [TestCase("tiny-llama")]
    [TestCase("tiny-qwen2-window")]
    public async Task TextRequests_MatchTheCpuBackend(string name)
    {
        var golden = GoldenFile.Read(name);
        var bosText = golden.BosTokenId is null ? null : name.StartsWith("tiny-opt", StringComparison.Ordinal) ? "</s>" : "<s>";
        var tokenizer = new DictionaryTokenizer(golden.Encodings, golden.BosTokenId, bosText);
        var picked = golden.TextRequests.Take(5).ToList();
        var requests = picked.Select(r => new LogLikelihoodRequest(r.ContextText, r.ContinuationText)).ToList();

        var cpu = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Tokenizer = tokenizer, PrefixTokenId = golden.PrefixTokenId }).ScoreAsync(requests);
        var ilgpu = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Tokenizer = tokenizer, PrefixTokenId = golden.PrefixTokenId, Device = "ilgpu-cpu" }).ScoreAsync(requests);

        AssertSame(cpu, ilgpu, picked);
    }

    [TestCase("tiny-mistral-window")]
    public async Task OneRequestPerPass_GivesTheBatchedNumbers(string name)
    {
        var golden = GoldenFile.Read(name);
        var picked = Pick(golden);
        var requests = picked.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();

        var batched = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Device = "ilgpu-cpu" }).ScoreTokensAsync(requests);
        var single = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { Device = "ilgpu-cpu", MaxBatchSequences = 1, ReusePrefixes = false, LogitChunkRows = 3 }).ScoreTokensAsync(requests);

        AssertSame(batched, single, picked);
    }

    [TestCase("tiny-gpt2")]
    [TestCase("tiny-gemma2")]
    public async Task GreedyGeneration_MatchesTheCpuBackend_TokenForToken(string model)
    {
        var golden = GenerationGolden.Read(model);
        var options = new GenerationOptions { MaxNewTokens = golden.NewTokens, StopAtEndOfSequence = false };
        var requests = golden.Greedy.Take(2).Select(c => new GenerationRequest(c.Prompt, options)).ToList();

        using var cpu = TextGenerator.Load(golden.ModelPath);
        using var ilgpu = TextGenerator.Load(golden.ModelPath, new TextGeneratorOptions { Device = "ilgpu-cpu" });
        var expected = await cpu.GenerateAsync(requests);
        var actual = await ilgpu.GenerateAsync(requests);

        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.That(actual[i].TokenIds, Is.EqualTo(expected[i].TokenIds), $"case {i}");
            Assert.That(actual[i].TokenIds, Is.EqualTo(golden.Greedy[i].Tokens), $"case {i} against the PyTorch reference");
        }
    }

    /// <summary>
    /// The ILGPU CPU accelerator emulates GPU threads with OS threads, so each kernel launch is slow: the truncated requests of a golden
    /// file (longer than the model's context) and its first four others keep every test to a few forward passes.
    /// </summary>
    private static List<GoldenRequest> Pick(GoldenFile golden)
        => golden.TokenRequests.Where(r => r.ContextIds.Length + r.ContinuationIds.Length > golden.MaxLength).Take(3)
            .Concat(golden.TokenRequests.Where(r => r.ContextIds.Length + r.ContinuationIds.Length <= golden.MaxLength).Take(4)).ToList();

    private static void AssertSame(IReadOnlyList<LogLikelihoodResult> expected, IReadOnlyList<LogLikelihoodResult> actual, List<GoldenRequest> golden)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < actual.Count; i++)
            {
                Assert.That(actual[i].LogLikelihood, Is.EqualTo(expected[i].LogLikelihood).Within(Tolerance), $"request {i}");
                Assert.That(actual[i].IsGreedy, Is.EqualTo(expected[i].IsGreedy), $"greedy {i}");
                // fp32 sums in another order: 1e-4, or 1e-6 relative for long low-likelihood requests (e.g. −797.755 vs −797.7551).
                var g = golden[i].LogLikelihood;
                Assert.That(actual[i].LogLikelihood, Is.EqualTo(g).Within(Math.Max(Tolerance, 1e-6 * Math.Abs(g))), $"request {i} against the PyTorch golden");
            }
        });
    }
}
