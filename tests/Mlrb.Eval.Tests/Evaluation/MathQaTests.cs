using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Data;
using Mlrb.Eval.Tests.Fakes;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Evaluation;

public class MathQaTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-mathqa");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Choices_FollowTheHarnessRegex_AndStripTrailingCommasAndSpaces()
    {
        // A MathQA options string as the release writes it; the harness keeps c[4:].rstrip(" ,") of each match.
        var choices = MathQaReader.Choices("a ) 38 , b ) 27.675 , c ) 30 , d ) data inadequate , e ) none of these");

        Assert.That(choices, Is.EqualTo(new[] { "38", "27.675", "30", "data inadequate", "none of these" }));
    }

    [Test]
    public void Choices_KeepCommasInsideAnOption_UpToTheNextOptionMarker()
    {
        // ".*?, " is lazy: an option holding ", " is cut there, exactly as Python's re.findall does.
        var choices = MathQaReader.Choices("a ) rs . 1,200 , b ) 3 , 4 , c ) 5 , d ) 6 , e ) 7");

        Assert.That(choices, Is.EqualTo(new[] { "rs . 1,200", "3", "5", "6", "7" }));
    }

    [Test]
    public async Task Benchmark_RendersTheHarnessPrompt_AndComputesAccAndAccNorm()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "mathqa"));
        File.WriteAllLines(Path.Combine(_dir, "mathqa", "test.jsonl"),
        [
            """{"Problem": "what is 5 + 5 ?", "options": "a ) 10 , b ) 200 , c ) 3000 , d ) 40000 , e ) 500000", "correct": "a"}""",
            """{"Problem": "pick the long one", "options": "a ) 1 , b ) 22 , c ) 333 , d ) 4444 , e ) 55555", "correct": "e"}""",
            """{"Problem": "broken", "options": "a ) 1 , b ) 2", "correct": "a"}""",
        ]);

        // ll = -sqrt(len(" " + choice)): the shortest choice has the highest ll (acc), while ll / len(choice) is highest
        // for the longest choice (acc_norm). Problem 1's gold is the shortest, problem 2's the longest.
        var scorer = new FakeScorer(r => -Math.Sqrt(r.Continuation.Length));
        var result = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.MathQa, DataDirectory = _dir });

        Assert.That(scorer.Seen[0].Context, Is.EqualTo("Question: what is 5 + 5 ?\nAnswer:"));
        Assert.That(scorer.Seen.Take(5).Select(r => r.Continuation), Is.EqualTo(new[] { " 10", " 200", " 3000", " 40000", " 500000" }));
        var mathqa = result.Subtasks.Single();
        Assert.That(mathqa.Name, Is.EqualTo("mathqa"));
        Assert.That(mathqa.Documents, Is.EqualTo(2), "the row with two options is skipped");
        Assert.That(result.DataIssues.Single().Message, Does.Contain("five options"));
        Assert.That(mathqa.Metrics.Single(m => m.Name == "acc").Value, Is.EqualTo(0.5));
        Assert.That(mathqa.Metrics.Single(m => m.Name == "acc_norm").Value, Is.EqualTo(0.5));
        Assert.That(result.Documents.Select(d => d.Prediction), Is.EqualTo(new[] { 0, 0 }), "acc picks the shortest choice");
        Assert.That(result.Aggregates.Single().Name, Is.EqualTo("mathqa"));
    }

    [Test]
    public async Task AccNorm_DividesByTheChoiceLength_NotTheContinuationLength()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "mathqa"));
        File.WriteAllText(Path.Combine(_dir, "mathqa", "test.json"), """
            [{"Problem": "p", "options": "a ) 1 , b ) 22 , c ) 333 , d ) 4444 , e ) 55555", "correct": "b"}]
            """);

        // ll(" 1") = -1.0, ll(" 22") = -1.9: acc picks a; over choice lengths -1.0/1 < -1.9/2 = -0.95, so acc_norm picks b.
        // Over continuation lengths (2 and 3) it would pick a (-0.5 > -0.633).
        var lls = new Dictionary<string, double> { [" 1"] = -1.0, [" 22"] = -1.9, [" 333"] = -10, [" 4444"] = -10, [" 55555"] = -10 };
        var result = await BenchmarkEvaluation.RunAsync(new FakeScorer(r => lls[r.Continuation]), new EvaluationOptions { Benchmark = BenchmarkKind.MathQa, DataDirectory = _dir });

        var metrics = result.Subtasks.Single().Metrics;
        Assert.That(metrics.Single(m => m.Name == "acc").Value, Is.EqualTo(0.0));
        Assert.That(metrics.Single(m => m.Name == "acc_norm").Value, Is.EqualTo(1.0));
    }

    [Test]
    public void ValidationSplit_ReadsDev_NeverTest()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "mathqa"));
        File.WriteAllText(Path.Combine(_dir, "mathqa", "test.json"), "[]");
        File.WriteAllText(Path.Combine(_dir, "mathqa", "dev.json"), "[]");

        Assert.That(MathQaReader.Locate(_dir, "validation"), Is.EqualTo(Path.Combine(_dir, "mathqa", "dev.json")));
        Assert.That(MathQaReader.Locate(_dir, "test"), Is.EqualTo(Path.Combine(_dir, "mathqa", "test.json")));
    }
}
