using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>Models with non-finite weights or activations: no score is ever reported, the error names the tensor or document.</summary>
public class NumericsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-numerics");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string NanModel()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        SafetensorsEditor.FillF32(Path.Combine(model, "model.safetensors"), "transformer.h.0.ln_1.weight", float.NaN);
        return model;
    }

    /// <summary>Finite but huge weights: the weights pass the check and the activations overflow to NaN.</summary>
    private string OverflowModel()
    {
        var model = HostileCli.CopyModel("tiny-gpt2", _dir);
        SafetensorsEditor.FillF32(Path.Combine(model, "model.safetensors"), "transformer.h.0.ln_1.weight", 3e38f);
        SafetensorsEditor.FillF32(Path.Combine(model, "model.safetensors"), "transformer.h.0.ln_1.bias", 3e38f);
        return model;
    }

    [Test]
    public async Task Score_NanWeights_RefusesAndNamesTheTensor()
    {
        var result = await HostileCli.RunAsync("score", "--model", NanModel(), "--context-tokens", "1,2", "--continuation-tokens", "3", "--json");

        HostileCli.AssertOneLineError(result, "transformer.h.0.ln_1.weight");
        Assert.That(result.Out, Is.Empty, "no score printed");
    }

    [Test]
    public async Task Score_OverflowingActivations_Refuses()
    {
        var result = await HostileCli.RunAsync("score", "--model", OverflowModel(), "--context-tokens", "1,2", "--continuation-tokens", "3");

        HostileCli.AssertOneLineError(result, "log-likelihood is");
        Assert.That(result.Out, Does.Not.Contain("loglikelihood"));
    }

    [Test]
    public async Task Stats_NanWeights_CountsThemPerTensor()
    {
        var (code, output, error) = await HostileCli.RunAsync("stats", "--model", NanModel(), "--no-forward", "--json");

        Assert.That(code, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("non_finite_values").GetInt64(), Is.EqualTo(32));
        Assert.That(doc.RootElement.GetProperty("non_finite_tensors").GetProperty("transformer.h.0.ln_1.weight").GetInt64(), Is.EqualTo(32));
        Assert.That(error, Does.Contain("non-finite"));
    }

    [Test]
    public async Task Stats_FiniteModel_ReportsZero()
    {
        var (code, output, error) = await HostileCli.RunAsync("stats", "--model", HostileCli.ReferenceModel("tiny-gpt2"), "--no-forward", "--json");

        Assert.That(code, Is.EqualTo(0), error);
        using var doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("non_finite_values").GetInt64(), Is.EqualTo(0));
    }

    [Test]
    public async Task Eval_NanWeights_RefusesBeforeScoring_AndWritesNoReport()
    {
        var output = Path.Combine(_dir, "results");
        var result = await HostileCli.RunAsync(
            "eval", "--task", "baby_lm", "--model", NanModel(), "--data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"), "--output", output, "--json");

        HostileCli.AssertOneLineError(result, "transformer.h.0.ln_1.weight");
        Assert.That(Directory.Exists(output) ? Directory.GetFiles(output, "*.json") : [], Is.Empty, "no report");
    }

    [Test]
    public async Task Eval_NonFiniteLogLikelihoods_KeepsPredictions_WithNulls_AndReportsNoScore()
    {
        var output = Path.Combine(_dir, "results");
        var result = await HostileCli.RunAsync(
            "eval", "--task", "baby_lm", "--model", OverflowModel(), "--data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"), "--output", output, "--json");

        HostileCli.AssertOneLineError(result, "per-document results kept in");
        Assert.That(Directory.GetFiles(output, "*.json"), Is.Empty, "no report with a score");
        var predictions = Directory.GetFiles(output, "*.predictions.jsonl").Single();
        var lines = File.ReadAllLines(predictions);
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line); // would throw on NaN literals
            Assert.That(doc.RootElement.GetProperty("loglikelihoods").EnumerateArray().Select(e => e.ValueKind), Has.Some.EqualTo(JsonValueKind.Null));
        }
    }
}
