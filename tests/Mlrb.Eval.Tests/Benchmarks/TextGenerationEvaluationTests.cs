using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Metrics;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Benchmarks;

[NonParallelizable]
public class TextGenerationEvaluationTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-textgen");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Predictions(params (string Prediction, string Reference)[] rows)
    {
        var path = Path.Combine(_dir, "predictions.jsonl");
        File.WriteAllLines(path, rows.Select(r => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["prediction"] = r.Prediction, ["reference"] = r.Reference })));
        return path;
    }

    /// <summary>A stand-in for lean: fails on "sorry", hangs on "loop", fails if it can see a secret-looking variable.</summary>
    private string FakeLean()
    {
        var path = Path.Combine(_dir, "fake-lean.sh");
        File.WriteAllText(path, "#!/bin/sh\nif [ -n \"$MLRB_TEST_API_KEY\" ]; then exit 3; fi\nif grep -q sorry \"$1\"; then echo 'error: declaration uses sorry'; exit 1; fi\nif grep -q loop \"$1\"; then sleep 30; fi\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Test]
    public async Task WithoutLean_ReportsBleuAndRouge_AndSaysThePassRateIsUnavailable()
    {
        var path = Predictions(("the cat sat", "the cat was sat here"), ("a b", "a b"));
        var result = await TextGenerationEvaluation.RunAsync(path, new LeanOptions());
        var metrics = result.Subtasks[0].Metrics.ToDictionary(m => m.Name);
        Assert.That(metrics["rouge_l"].Value, Is.EqualTo((0.75 + 1.0) / 2).Within(1e-12));
        Assert.That(metrics.ContainsKey("lean_pass_rate"), Is.False);
        Assert.That(result.Notes, Has.One.Contains("unavailable"));
        Assert.That(result.Notes, Has.One.Contains("source: predictions_file"));
    }

    [Test]
    [Platform(Exclude = "Win")]
    public async Task WithLean_OneSampleAtATime_TimeoutCountsAsFail_SecretsAreHidden()
    {
        Environment.SetEnvironmentVariable("MLRB_TEST_API_KEY", "do-not-leak");
        try
        {
            var path = Predictions(("theorem a : true := trivial", "x"), ("theorem b : true := sorry", "x"), ("loop", "x"), ("theorem c : 1 = 1 := rfl", "x"));
            var lean = new LeanOptions { Executable = FakeLean(), Timeout = TimeSpan.FromSeconds(2) };
            var started = DateTime.UtcNow;
            var result = await TextGenerationEvaluation.RunAsync(path, lean);
            Assert.That(result.Subtasks[0].Metrics.Single(m => m.Name == "lean_pass_rate").Value, Is.EqualTo(0.5));
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(20)), "the hanging sample was killed at its timeout");
        }
        finally
        {
            Environment.SetEnvironmentVariable("MLRB_TEST_API_KEY", null);
        }
    }

    [Test]
    public void MissingPredictions_GiveAClearError()
        => Assert.That(async () => await TextGenerationEvaluation.RunAsync(Path.Combine(_dir, "nope.jsonl"), new LeanOptions()),
            Throws.TypeOf<Mlrb.Eval.Data.BenchmarkDataException>().With.Message.Contains("nope.jsonl"));
}
