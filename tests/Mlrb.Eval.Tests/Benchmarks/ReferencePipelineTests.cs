using System.Text.Json;
using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Scoring;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Benchmarks;

/// <summary>
/// Whole runs on the ../shared/data slices with the engine and the tiny GPT-2 of tests/reference/models, against the
/// PyTorch reference pipeline (tests/reference/benchmark_predictions.py): equal per-document predictions, log-likelihoods
/// to float tolerance, aggregates within 1e-9.
/// </summary>
[NonParallelizable]
public class ReferencePipelineTests
{
    private static readonly Lazy<JsonElement> Golden = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "golden", "benchmark-predictions-tiny-gpt2.json"))).RootElement.Clone());

    private static string Model => Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");

    [TestCase("blimp", BenchmarkKind.Blimp, 0)]
    [TestCase("mmlu", BenchmarkKind.Mmlu, 0)]
    [TestCase("superglue", BenchmarkKind.SuperGlue, 0)]
    [TestCase("superglue_2shot", BenchmarkKind.SuperGlue, 2)]
    public async Task Run_MatchesThePyTorchReference(string run, BenchmarkKind benchmark, int shots)
    {
        var shared = TestPaths.RequireSharedData("benchmarks");
        var golden = Golden.Value;
        var limit = golden.GetProperty("limit").GetInt32();
        var expected = golden.GetProperty("runs").GetProperty(run);
        var data = shared;
        string? temp = null;
        if (benchmark == BenchmarkKind.Blimp)
        {
            // Only the paradigms whose sentences fit the 48-position model (the reference lists them); a temporary folder
            // outside the repository holds their first rows.
            temp = TestPaths.CreateTempDirectory("mlrb-ref-blimp");
            Directory.CreateDirectory(Path.Combine(temp, "blimp"));
            foreach (var name in expected.GetProperty("subtasks").EnumerateObject().Select(p => p.Name))
            {
                var uid = name["blimp_".Length..];
                File.WriteAllLines(Path.Combine(temp, "blimp", uid + ".jsonl"), File.ReadLines(Path.Combine(shared, "blimp", uid + ".jsonl")).Take(limit));
            }

            data = temp;
        }

        try
        {
            var scorer = ModelScorer.Load(Model);
            var result = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = benchmark, DataDirectory = data, Limit = limit, Shots = shots });

            var expectedSubtasks = expected.GetProperty("subtasks").EnumerateObject().ToList();
            Assert.That(result.Subtasks.Select(s => s.Name).Order(StringComparer.Ordinal), Is.EqualTo(expectedSubtasks.Select(p => p.Name).Order(StringComparer.Ordinal)));
            foreach (var subtask in expectedSubtasks)
            {
                var docs = result.Documents.Where(d => d.Subtask == subtask.Name).ToList();
                var rows = subtask.Value.EnumerateArray().ToList();
                Assert.That(docs, Has.Count.EqualTo(rows.Count), subtask.Name);
                for (var i = 0; i < rows.Count; i++)
                {
                    var lls = rows[i].GetProperty("loglikelihoods").EnumerateArray().Select(e => e.GetDouble()).ToList();
                    Assert.That(docs[i].LogLikelihoods, Is.EqualTo(lls).Within(2e-4), $"{subtask.Name} doc {i}");
                    Assert.That(docs[i].Prediction, Is.EqualTo(rows[i].GetProperty("prediction").GetInt32()), $"{subtask.Name} doc {i} prediction");
                    Assert.That(docs[i].Gold, Is.EqualTo(rows[i].GetProperty("gold").GetInt32()), $"{subtask.Name} doc {i} gold");
                }

                var acc = result.Subtasks.Single(s => s.Name == subtask.Name).Metrics.First(m => m.Name == "acc").Value;
                Assert.That(acc, Is.EqualTo(expected.GetProperty("acc").GetProperty(subtask.Name).GetDouble()).Within(1e-9), subtask.Name);
            }

            Assert.That(result.Aggregates[0].Value, Is.EqualTo(expected.GetProperty("aggregate").GetDouble()).Within(1e-9));
        }
        finally
        {
            if (temp is not null)
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }
}
