using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>The opt-in bf16 arithmetic: close to the fp32 PyTorch golden, but not the same numbers.</summary>
public class ComputeDTypeTests
{
    [TestCase("tiny-gpt2")]
    [TestCase("tiny-llama")]
    [TestCase("tiny-flan-t5")]
    public async Task Bf16_StaysCloseToTheFp32Golden_ButIsNotBitComparable(string name)
    {
        var golden = GoldenFile.Read(name);
        var requests = golden.TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList();

        var fp32 = await ModelScorer.Load(GoldenFile.ModelPath(name)).ScoreTokensAsync(requests);
        var bf16 = await ModelScorer.Load(GoldenFile.ModelPath(name), new ModelScorerOptions { DType = ComputeDType.Bf16 }).ScoreTokensAsync(requests);

        var differs = false;
        for (var i = 0; i < requests.Count; i++)
        {
            var g = golden.TokenRequests[i].LogLikelihood;
            Assert.That(fp32[i].LogLikelihood, Is.EqualTo(g).Within(1e-4), $"fp32 request {i}");
            Assert.That(bf16[i].LogLikelihood, Is.EqualTo(g).Within(0.05 * Math.Abs(g) + 0.5), $"bf16 request {i}");
            differs |= Math.Abs(bf16[i].LogLikelihood - fp32[i].LogLikelihood) > 1e-6;
        }

        Assert.That(differs, Is.True, "bf16 arithmetic must actually run (its rounding shows in some score)");
    }
}
