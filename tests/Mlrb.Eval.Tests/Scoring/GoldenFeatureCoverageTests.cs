using System.Text.Json.Nodes;
using Mlrb.Eval.Scoring;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>
/// The golden files exercise each config feature: scoring a tiny model with the feature switched off in its config.json must move at
/// least one golden log-likelihood by far more than the 1e-4 tolerance (so the golden tests would catch the feature being ignored).
/// </summary>
public class GoldenFeatureCoverageTests
{
    [TestCase("tiny-mistral-window", "sliding_window", null)]
    [TestCase("tiny-qwen2-window", "use_sliding_window", false)]
    [TestCase("tiny-gemma2", "sliding_window", 4096)]
    [TestCase("tiny-gemma2", "attn_logit_softcapping", null)]
    [TestCase("tiny-gemma2", "final_logit_softcapping", null)]
    [TestCase("tiny-gemma2", "query_pre_attn_scalar", 16)]
    [TestCase("tiny-neox-parallel", "use_parallel_residual", false)]
    [TestCase("tiny-neox-sequential", "rotary_pct", 1.0)]
    [TestCase("tiny-phi", "partial_rotary_factor", 1.0)]
    [TestCase("tiny-llama-yarn", "rope_scaling", null)]
    [TestCase("tiny-llama-llama3rope", "rope_scaling", null)]
    [TestCase("tiny-phi3-longrope", "sliding_window", null)]
    public async Task SwitchingTheFeatureOff_MovesTheGoldenScores(string model, string field, object? value)
    {
        var max = await MaxDeviationAsync(model, config => config[field] = value is null ? null : JsonValue.Create(value));

        Assert.That(max, Is.GreaterThan(0.01), $"{model}: {field} = {value ?? "null"} changes no golden score; the goldens do not cover it");
    }

    [Test]
    public async Task LongRopeLongFactors_AreUsedByTheGolden()
    {
        // Replace the long factors by the short ones: requests longer than the original 16 positions must change.
        var max = await MaxDeviationAsync("tiny-phi3-longrope", config => config["rope_scaling"]!["long_factor"] = config["rope_scaling"]!["short_factor"]!.DeepClone());

        Assert.That(max, Is.GreaterThan(0.01));
    }

    private static async Task<double> MaxDeviationAsync(string model, Action<JsonObject> edit)
    {
        var dir = TestPaths.CreateTempDirectory("mlrb-feature");
        try
        {
            foreach (var f in Directory.GetFiles(GoldenFile.ModelPath(model)))
            {
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            }

            var configPath = Path.Combine(dir, "config.json");
            var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!.AsObject();
            edit(config);
            await File.WriteAllTextAsync(configPath, config.ToJsonString());
            var golden = GoldenFile.Read(model);
            var results = await ModelScorer.Load(dir).ScoreTokensAsync(golden.TokenRequests.Select(r => new TokenLogLikelihoodRequest(r.ContextIds, r.ContinuationIds)).ToList());
            return results.Select((r, i) => Math.Abs(r.LogLikelihood - golden.TokenRequests[i].LogLikelihood)).Max();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
