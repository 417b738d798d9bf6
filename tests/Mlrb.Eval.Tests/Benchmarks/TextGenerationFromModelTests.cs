using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Generation;
using Mlrb.Eval.Metrics;
using Mlrb.Eval.Reports;
using Mlrb.Eval.Tests.Scoring;
using Mlrb.Tasks;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Benchmarks;

/// <summary>math_reasoning scored from the model: a tiny model, a small dataset in the task's format, NLTK as the BLEU reference, a fake lean.</summary>
[NonParallelizable]
public class TextGenerationFromModelTests
{
    private static readonly GenerationSpec Spec = new()
    {
        DataFolder = "math_reasoning",
        HeldOutRows = 6,
        Items = 5,
        PromptTemplate = "{informal_statement}; {informal_proof}:",
        ReferenceField = "formal_proof",
        MaxNewTokens = 10,
        StopSequences = ["\n\nthe end"],
    };

    private static readonly string[] Statements =
    [
        "the cat sat on the mat", "the dog ate the bone", "she said that the man is here", "they were not in the house",
        "he has the book", "then the end", "the man is there", "the dog is in the house", "the cat ate the book", "she is here",
    ];

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-mathgen");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Row(int i, string reference) => new()
    {
        ["name"] = $"item_{i}",
        ["informal_statement"] = Statements[i],
        ["informal_proof"] = $"{i}",
        ["formal_proof"] = reference,
    };

    /// <summary>Generations of the held-out rows (train rows 4-9) as the evaluation will produce them.</summary>
    private static async Task<List<string>> ExpectedGenerationsAsync(ITextGenerator generator)
    {
        var options = GenerationOptions.HarnessGenerateUntil(Spec.StopSequences, Spec.MaxNewTokens);
        var prompts = Enumerable.Range(4, 5).Select(i => new GenerationRequest(Spec.PromptTemplate
            .Replace("{informal_statement}", Statements[i], StringComparison.Ordinal)
            .Replace("{informal_proof}", $"{i}", StringComparison.Ordinal), options)).ToList();
        return (await generator.GenerateAsync(prompts)).Select(r => r.Text).ToList();
    }

    /// <summary>Writes train.jsonl: 10 rows, the last 6 held out; references overlap the generations partly.</summary>
    private string WriteData(List<string> generations)
    {
        var folder = Path.Combine(_dir, "data", "math_reasoning");
        Directory.CreateDirectory(folder);
        var rows = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var reference = i switch
            {
                < 4 => "theorem train_only : true := trivial",
                4 or 9 => "theorem foo (n : nat) : n + 0 = n := by simp",
                _ => generations[i - 4][..(generations[i - 4].Length * 2 / 3)] + " := by simp [the, cat]",
            };
            rows.Add(JsonSerializer.Serialize(Row(i, reference)));
        }

        rows.Insert(6, "");
        File.WriteAllLines(Path.Combine(folder, "train.jsonl"), rows);
        return Path.Combine(_dir, "data");
    }

    /// <summary>A stand-in for lean: accepts two generations, hangs on one, rejects the rest.</summary>
    private string FakeLean(List<string> generations)
    {
        File.WriteAllText(Path.Combine(_dir, "accept-0.lean"), generations[0]);
        File.WriteAllText(Path.Combine(_dir, "accept-1.lean"), generations[2]);
        File.WriteAllText(Path.Combine(_dir, "hang.lean"), generations[3]);
        var path = Path.Combine(_dir, "fake-lean.sh");
        File.WriteAllText(path, $"""
            #!/bin/sh
            for f in {_dir}/accept-*.lean; do cmp -s "$1" "$f" && exit 0; done
            cmp -s "$1" {_dir}/hang.lean && sleep 60
            echo "error: unknown identifier" >&2
            exit 1

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Test]
    [Platform(Exclude = "Win")]
    public async Task FromTheModel_BleuAndRougeEqualNltk_LeanAcceptsSomeRejectsSomeTimesOutOnOne()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-gpt2"));
        var generations = await ExpectedGenerationsAsync(generator);
        Assume.That(generations.Distinct().Count(), Is.EqualTo(5), "distinct generations, so the fake lean can tell them apart");
        var data = WriteData(generations);
        var lean = new LeanOptions { Executable = FakeLean(generations), Timeout = TimeSpan.FromSeconds(3) };

        var result = await TextGenerationEvaluation.RunFromModelAsync(generator, Spec, data, lean);

        var samples = result.Generations;
        Assert.That(samples.Select(s => s.Generation), Is.EqualTo(generations), "the generations are the model's, in held-out order");
        Assert.That(samples.Select(s => s.Name), Is.EqualTo(new[] { "item_4", "item_5", "item_6", "item_7", "item_8" }), "the first 5 of the last 6 rows");
        Assert.That(samples[0].Prompt, Is.EqualTo("he has the book; 4:"));
        Assert.That(samples[0].Source, Does.EndWith("train.jsonl:5"));
        Assert.That(samples[2].Source, Does.EndWith("train.jsonl:8"), "line numbers count the blank line");

        var pairs = JsonSerializer.Serialize(samples.Select(s => new { hyp = s.Generation, @ref = s.Reference }));
        var reference = JsonNode.Parse(PythonReference.Run("text_metrics.py", pairs, "nltk"))!;
        var metrics = result.Subtasks[0].Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.That(metrics["bleu"], Is.GreaterThan(0.01), "the references overlap the generations");
        Assert.That(metrics["bleu"] * 100, Is.EqualTo(reference["bleu"]!.GetValue<double>()).Within(1e-9));
        if (reference["every_hypothesis_has_4_tokens"]!.GetValue<bool>())
        {
            Assert.That(metrics["bleu"] * 100, Is.EqualTo(reference["nltk_corpus_bleu"]!.GetValue<double>()).Within(1e-9), "NLTK's own corpus_bleu agrees when no hypothesis is shorter than 4 tokens");
        }
        Assert.That(metrics["rouge_l"], Is.EqualTo(reference["rouge_l"]!.GetValue<double>()).Within(1e-12));

        Assert.That(samples.Select(s => s.LeanPassed), Is.EqualTo(new bool?[] { true, false, true, false, false }));
        Assert.That(samples.Select(s => s.LeanTimedOut), Is.EqualTo(new[] { false, false, false, true, false }));
        Assert.That(samples[1].LeanOutput, Does.Contain("unknown identifier"));
        Assert.That(metrics["lean_pass_rate"], Is.EqualTo(0.4));
        Assert.That(result.Aggregates[0].Value, Is.EqualTo((metrics["bleu"] + metrics["rouge_l"] + 0.4) / 3).Within(1e-12));
        Assert.That(result.Notes, Has.Some.Contains("source: model").And.Some.Contains("timed out"));
        Assert.That(result.TokensScored, Is.EqualTo(samples.Sum(s => s.GeneratedTokens)));
    }

    [Test]
    public async Task WithoutLean_ThePassRateCountsAsZero_AndTheReportSaysSo_AndKeepsEveryItem()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-gpt2"));
        var data = WriteData(await ExpectedGenerationsAsync(generator));
        var result = await TextGenerationEvaluation.RunFromModelAsync(generator, Spec, data, new LeanOptions(), limit: 3);

        var metrics = result.Subtasks[0].Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.That(result.Generations, Has.Count.EqualTo(3));
        Assert.That(metrics.ContainsKey("lean_pass_rate"), Is.False);
        Assert.That(result.Aggregates[0].Value, Is.EqualTo((metrics["bleu"] + metrics["rouge_l"]) / 3).Within(1e-12));
        Assert.That(result.Notes, Has.Some.Contains("counts as 0"));

        var report = new EvaluationReport
        {
            Task = "math_reasoning",
            ModelPath = GoldenFile.ModelPath("tiny-gpt2"),
            Result = result,
            StartedUtc = DateTimeOffset.UtcNow,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
        var path = ReportWriter.Write(report, Path.Combine(_dir, "results"));
        var lines = File.ReadAllLines(Path.ChangeExtension(path, null) + ReportWriter.GenerationsSuffix);
        Assert.That(lines, Has.Length.EqualTo(3));
        var first = JsonNode.Parse(lines[0])!;
        Assert.That(first["prompt"]!.GetValue<string>(), Is.EqualTo("he has the book; 4:"));
        Assert.That(first["generation"]!.GetValue<string>(), Is.EqualTo(result.Generations[0].Generation));
        Assert.That(first["reference"]!.GetValue<string>(), Is.EqualTo("theorem foo (n : nat) : n + 0 = n := by simp"));
        Assert.That(first["rouge_l"]!.GetValue<double>(), Is.EqualTo(result.Generations[0].RougeL));
        Assert.That(first["finish_reason"]!.GetValue<string>(), Is.AnyOf("max_tokens", "stop_sequence", "end_of_sequence"));
    }

    [Test]
    public async Task ATestFile_IsTheHeldOutPart_WhenPresent()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-gpt2"));
        var data = WriteData(await ExpectedGenerationsAsync(generator));
        File.WriteAllLines(Path.Combine(data, "math_reasoning", "test.jsonl"), [JsonSerializer.Serialize(Row(0, "theorem t : true := trivial")), "{not json"]);
        var result = await TextGenerationEvaluation.RunFromModelAsync(generator, Spec, data, new LeanOptions());
        Assert.That(result.Generations.Single().Name, Is.EqualTo("item_0"));
        Assert.That(result.DataIssues.Single().ToString(), Does.Contain("test.jsonl").And.Contain("malformed JSON"));
        Assert.That(result.Notes, Has.Some.Contains("test.jsonl (its own held-out file)"));
    }

    [Test]
    public void MissingData_SaysWhereItLooked()
    {
        using var generator = TextGenerator.Load(GoldenFile.ModelPath("tiny-gpt2"));
        Assert.That(async () => await TextGenerationEvaluation.RunFromModelAsync(generator, Spec, _dir, new LeanOptions()),
            Throws.TypeOf<Mlrb.Eval.Data.BenchmarkDataException>().With.Message.Contains("math_reasoning").And.Message.Contains("train.jsonl"));
    }

    [Test]
    public async Task PredictionsFileMode_IsLabelledAsSuch()
    {
        var path = Path.Combine(_dir, "predictions.jsonl");
        File.WriteAllLines(path, [JsonSerializer.Serialize(new { prediction = "a b c", reference = "a b d" })]);
        var result = await TextGenerationEvaluation.RunAsync(path, new LeanOptions());
        Assert.That(result.Notes, Has.Some.Contains("source: predictions_file"));
        Assert.That(result.Generations.Single().Prompt, Is.Null);
    }
}
