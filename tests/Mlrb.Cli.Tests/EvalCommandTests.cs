using System.CommandLine;
using System.Text.Json;
using Mlrb.Cli.Commands.Eval;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Scoring;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

[NonParallelizable]
public class EvalCommandTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-eval");

    [TearDown]
    public void TearDown()
    {
        ScorerFactory.Override = null;
        Directory.Delete(_dir, recursive: true);
    }

    private string MakeModel()
    {
        var model = Path.Combine(_dir, "my-model");
        Directory.CreateDirectory(model);
        // A 2x2 F32 safetensors file written by hand: 4 parameters, 3 non-zero.
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"u8.ToArray();
        using var f = File.Create(Path.Combine(model, "model.safetensors"));
        f.Write(BitConverter.GetBytes((long)header.Length));
        f.Write(header);
        foreach (var v in new[] { 1f, 0f, 2f, 3f })
        {
            f.Write(BitConverter.GetBytes(v));
        }

        return model;
    }

    private string MakeBlimp()
    {
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "blimp"));
        File.WriteAllLines(Path.Combine(data, "blimp", "passive_1.jsonl"),
        [
            "{\"sentence_good\": \"ab\", \"sentence_bad\": \"abcd\"}",
            "{\"sentence_good\": \"abc\", \"sentence_bad\": \"a\"}",
            "{\"sentence_good\": \"x\", \"sentence_bad\": \"yyy\"}",
            "{\"sentence_good\": \"x\", \"sentence_bad\": \"yyy\"}",
        ]);
        return data;
    }

    [Test]
    public void BabyLm_RunsBlimp_PrintsParametersFirst_AndWritesTheReport()
    {
        ScorerFactory.Override = _ => new LengthScorer();
        var out_ = Path.Combine(_dir, "results");
        var (code, stdout, stderr) = CliInvoker.Run("eval", "--task", "baby_lm", "--model", MakeModel(), "--data", MakeBlimp(), "--out", out_);

        Assert.That(code, Is.Zero, stderr);
        var lines = stdout.Split('\n');
        var firstRow = lines.First(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Metric", StringComparison.Ordinal));
        Assert.That(firstRow, Does.Contain("Total Parameters").And.Contain("4"));
        Assert.That(stdout, Does.Contain("Non-Zero Parameters").And.Contain("| blimp "));
        // Shorter sentence wins: pairs 1, 3, 4 right, pair 2 wrong -> 0.75.
        Assert.That(stdout, Does.Contain("0.7500"));
        var report = Directory.GetFiles(out_, "baby_lm-my-model-*.json").Single();
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.That(json.RootElement.GetProperty("benchmark").GetString(), Is.EqualTo("blimp"));
        Assert.That(json.RootElement.GetProperty("partial").GetBoolean(), Is.False);
        Assert.That(json.RootElement.GetProperty("aggregates")[0].GetProperty("value").GetDouble(), Is.EqualTo(0.75));
        Assert.That(json.RootElement.GetProperty("statistics").GetProperty("total_parameters").GetInt64(), Is.EqualTo(4));
        Assert.That(json.RootElement.GetProperty("statistics").GetProperty("memory_within_limit").GetBoolean(), Is.True);
        Assert.That(json.RootElement.GetProperty("model").GetProperty("sha256").GetString(), Has.Length.EqualTo(64));
        Assert.That(Directory.GetFiles(out_, "*.predictions.jsonl"), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("100%").And.Contain("ETA"));
    }

    private string MakeMathData()
    {
        var folder = Path.Combine(_dir, "data", "math_reasoning");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "train.jsonl"), Enumerable.Range(0, 3).Select(i => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["name"] = $"t{i}",
            ["informal_statement"] = $"the cat {i}",
            ["informal_proof"] = "the end",
            ["formal_proof"] = "theorem t : the cat := by simp",
        })));
        return Path.Combine(_dir, "data");
    }

    [Test]
    public void MathReasoning_TheModelGeneratesEveryItem_AndTheReportKeepsThem()
    {
        var model = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");
        var out_ = Path.Combine(_dir, "results");
        var (code, stdout, stderr) = CliInvoker.Run("eval", "--task", "math_reasoning", "--model", model, "--data", MakeMathData(), "--out", out_, "--limit", "2", "--json");

        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.That(root.GetProperty("benchmark").GetString(), Is.EqualTo("text"));
        Assert.That(root.GetProperty("settings").GetProperty("generation_source").GetString(), Is.EqualTo("model"));
        Assert.That(root.GetProperty("subtasks")[0].GetProperty("documents").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("aggregates")[0].GetProperty("formula").GetString(), Does.Contain("/ 3"));
        Assert.That(root.GetProperty("data").GetProperty("notes").EnumerateArray().Select(n => n.GetString()), Has.Some.Contains("counts as 0"));
        var generations = File.ReadAllLines(Directory.GetFiles(out_, "*.generations.jsonl").Single());
        Assert.That(generations, Has.Length.EqualTo(2));
        Assert.That(generations[0], Does.Contain("the cat 0").And.Contain("\"reference\":\"theorem t : the cat := by simp\""));
    }

    [Test]
    public void MathReasoning_WithPredictions_IsLabelledAsGeneratedElsewhere()
    {
        var predictions = Path.Combine(_dir, "p.jsonl");
        File.WriteAllText(predictions, "{\"prediction\": \"a b c d\", \"reference\": \"a b c e\"}\n");
        var (code, stdout, stderr) = CliInvoker.Run("eval", "--task", "math_reasoning", "--model", MakeModel(), "--predictions", predictions, "--out", Path.Combine(_dir, "r"), "--json");
        Assert.That(code, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("settings").GetProperty("generation_source").GetString(), Is.EqualTo("predictions_file"));
    }

    [Test]
    public void MathReasoning_WithoutData_SaysWhereToPutIt()
    {
        var model = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");
        var (code, _, stderr) = CliInvoker.Run("eval", "--task", "math_reasoning", "--model", model, "--data", _dir, "--out", Path.Combine(_dir, "r"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain("math_reasoning").And.Contain("train.jsonl"));
    }

    [Test]
    public void Json_PrintsTheReportToStdout()
    {
        ScorerFactory.Override = _ => new LengthScorer();
        var (code, stdout, _) = CliInvoker.Run("eval", "--benchmark", "blimp", "--model", MakeModel(), "--data", MakeBlimp(), "--out", Path.Combine(_dir, "r"), "--json", "--limit", "1");
        Assert.That(code, Is.Zero);
        using var json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("subtasks")[0].GetProperty("documents").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void EdgeLlmTraining_ChecksTheDTypeRule()
    {
        ScorerFactory.Override = _ => new LengthScorer();
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "superglue", "RTE"));
        File.WriteAllLines(Path.Combine(data, "superglue", "RTE", "val.jsonl"), ["{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"entailment\", \"idx\": 0}"]);
        var (code, stdout, stderr) = CliInvoker.Run("eval", "--task", "edge_llm_training", "--model", MakeModel(), "--data", data, "--out", Path.Combine(_dir, "r"));
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("FP16/FP32 Only").And.Contain("limit 1.00 GiB"));
    }

    [TestCase("--task", "no_such_task", "unknown task 'no_such_task'")]
    [TestCase("--benchmark", "glue", "unknown benchmark 'glue'")]
    public void BadInput_GivesAOneLineError(string option, string value, string message)
    {
        var (code, _, stderr) = CliInvoker.Run("eval", option, value, "--model", MakeModel(), "--data", MakeBlimp());
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.Trim(), Does.StartWith("mlrb eval: ").And.Contain(message));
    }

    [Test]
    public void MissingData_NamesTheFolder()
    {
        ScorerFactory.Override = _ => new LengthScorer();
        var (code, _, stderr) = CliInvoker.Run("eval", "--task", "llm_efficiency", "--model", MakeModel(), "--data", Path.Combine(_dir, "empty"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("empty").And.Contain("data folder not found"));
    }

    /// <summary>ll = −(length of the continuation), so the shorter sentence wins.</summary>
    private sealed class LengthScorer : ILogLikelihoodScorer
    {
        public int MaxLength => 1024;

        public Task<IReadOnlyList<LogLikelihoodResult>> ScoreAsync(IReadOnlyList<LogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<LogLikelihoodResult>>(requests.Select(r => new LogLikelihoodResult(-r.Continuation.Length, false, 1, r.Continuation.Length)).ToList());

        public Task<IReadOnlyList<LogLikelihoodResult>> ScoreTokensAsync(IReadOnlyList<TokenLogLikelihoodRequest> requests, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyList<LogLikelihoodResult>>(requests.Select(_ => new LogLikelihoodResult(-1, true, 1, 1)).ToList());
    }
}
