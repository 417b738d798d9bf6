using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Data;
using Mlrb.Eval.Tests.Fakes;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Benchmarks;

public class BenchmarkEvaluationTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-bench");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, params string[] lines)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, lines);
    }

    private static string Pair(string good, string bad) => $"{{\"sentence_good\": \"{good}\", \"sentence_bad\": \"{bad}\", \"UID\": \"x\"}}";

    [Test]
    public async Task Blimp_ShorterSentenceWins_TiesGoToTheGoodSentence_MeanOfParadigms()
    {
        // Scorer: ll = -(length of the continuation). Paradigm 1: good shorter (right), good longer (wrong), equal (tie -> right) = 2/3.
        // Paradigm 2: one pair, good longer (wrong) = 0. Group = (2/3 + 0) / 2 = 1/3.
        Write("blimp/adjunct_island.jsonl", Pair("ab", "abc"), Pair("abcd", "ab"), Pair("xy", "zw"));
        Write("blimp/passive_1.jsonl", Pair("abcdef", "a"));
        var scorer = new FakeScorer(r => -r.Continuation.Length);
        var result = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.Blimp, DataDirectory = _dir });

        Assert.That(result.Subtasks.Select(s => s.Name), Is.EqualTo(new[] { "blimp_adjunct_island", "blimp_passive_1" }));
        Assert.That(result.Subtasks[0].Metrics[0].Value, Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(result.Subtasks[1].Metrics[0].Value, Is.EqualTo(0.0));
        Assert.That(result.Aggregates[0].Name, Is.EqualTo("blimp"));
        Assert.That(result.Aggregates[0].Value, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(result.MissingSubtasks, Has.Count.EqualTo(65));
        Assert.That(scorer.Seen.All(r => r.Context.Length == 0 && r.Continuation.StartsWith(' ')), Is.True);
        // stderr of [1,0,1]: sample sd = sqrt(1/3), / sqrt(3) = 1/3.
        Assert.That(result.Subtasks[0].Metrics[0].Stderr, Is.EqualTo(1.0 / 3).Within(1e-12));
    }

    [Test]
    public async Task Blimp_Limit_TakesTheFirstRows()
    {
        Write("blimp/adjunct_island.jsonl", Pair("ab", "abc"), Pair("abcd", "ab"), Pair("xy", "zw"));
        var result = await BenchmarkEvaluation.RunAsync(new FakeScorer(r => -r.Continuation.Length), new EvaluationOptions { Benchmark = BenchmarkKind.Blimp, DataDirectory = _dir, Limit = 1 });
        Assert.That(result.Subtasks[0].Documents, Is.EqualTo(1));
        Assert.That(result.Subtasks[0].Metrics[0].Value, Is.EqualTo(1.0));
    }

    [Test]
    public async Task Blimp_BadRowIsSkippedWithItsLine_UnlessStrict()
    {
        Write("blimp/adjunct_island.jsonl", Pair("ab", "abc"), "{not json", "{\"sentence_good\": \"a\"}", Pair("a", "abc"));
        var result = await BenchmarkEvaluation.RunAsync(new FakeScorer(r => -r.Continuation.Length), new EvaluationOptions { Benchmark = BenchmarkKind.Blimp, DataDirectory = _dir });
        Assert.That(result.Subtasks[0].Documents, Is.EqualTo(2));
        Assert.That(result.DataIssues.Select(i => i.Line), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(result.DataIssues[1].Message, Does.Contain("sentence_bad"));

        var ex = await Assert.ThrowsAsync<BenchmarkDataException>(() => BenchmarkEvaluation.RunAsync(new FakeScorer(_ => 0), new EvaluationOptions { Benchmark = BenchmarkKind.Blimp, DataDirectory = _dir, Strict = true }));
        Assert.That(ex!.Message, Does.Contain("adjunct_island.jsonl:2"));
    }

    [Test]
    public async Task MissingData_GivesAClearError()
    {
        var ex = await Assert.ThrowsAsync<BenchmarkDataException>(() => BenchmarkEvaluation.RunAsync(new FakeScorer(_ => 0), new EvaluationOptions { Benchmark = BenchmarkKind.Mmlu, DataDirectory = _dir }));
        Assert.That(ex!.Message, Does.Contain("no Mmlu data found"));
    }

    [Test]
    public async Task Mmlu_MicroOverall_CategoryMicro_AndPaperMean()
    {
        // Scorer picks the letter named in the question text ("pick C" -> C).
        Write("mmlu/test/anatomy_test.csv", "pick A,a,b,c,d,A", "pick B,a,b,c,d,C", "pick C,a,b,c,d,C", "pick D,a,b,c,d,D"); // stem 3/4
        Write("mmlu/test/virology_test.csv", "pick A,a,b,c,d,B", "pick B,a,b,c,d,B"); // other 1/2
        Write("mmlu/test/college_physics_test.csv", "pick A,a,b,c,d,A", "pick A,a,b,c,d,A"); // stem 2/2
        var scorer = new FakeScorer(r =>
        {
            var question = r.Context.Split('\n').Reverse().Skip(5).First();
            return question.EndsWith(r.Continuation.Trim(), StringComparison.Ordinal) ? 0 : -1;
        });
        var result = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.Mmlu, DataDirectory = _dir });
        var byName = result.Aggregates.ToDictionary(a => a.Name);
        Assert.That(byName["mmlu"].Value, Is.EqualTo(6.0 / 8).Within(1e-12));
        Assert.That(byName["mmlu_stem"].Value, Is.EqualTo(5.0 / 6).Within(1e-12));
        Assert.That(byName["mmlu_other"].Value, Is.EqualTo(0.5).Within(1e-12));
        // paper: mean over categories of the unweighted subject mean: stem (0.75 + 1)/2 = 0.875, other 0.5 -> 0.6875.
        Assert.That(byName["mmlu_paper"].Value, Is.EqualTo(0.6875).Within(1e-12));
    }

    [Test]
    public async Task Mmlu_FiveShot_UsesTheFirstDevRows()
    {
        Write("mmlu/dev/anatomy_dev.csv", Enumerable.Range(0, 6).Select(i => $"dev{i},a,b,c,d,B").ToArray());
        Write("mmlu/test/anatomy_test.csv", "q,a,b,c,d,A");
        var scorer = new FakeScorer(_ => 0);
        await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.Mmlu, DataDirectory = _dir, Shots = 5 });
        var context = scorer.Seen[0].Context;
        Assert.That(context, Does.StartWith("The following are multiple choice questions (with answers) about anatomy.\n\ndev0\nA. a\nB. b\nC. c\nD. d\nAnswer: B\n\ndev1\n"));
        Assert.That(context, Does.Contain("dev4").And.Not.Contain("dev5"));
        Assert.That(context, Does.EndWith("Answer: B\n\nq\nA. a\nB. b\nC. c\nD. d\nAnswer:"));
    }

    [Test]
    public async Task SuperGlue_CbF1_RecordSquad_MultiRcInversion_AndTheMeanOfTheTasksPresent()
    {
        // CB: scorer always answers " True" (entailment = 0). Golds 0,1,2,0 -> acc 2/4; F1: class0 tp2 fp2 fn0 = 4/6, others 0 -> (2/3)/3.
        Write("superglue/CB/val.jsonl",
            "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"entailment\", \"idx\": 0}",
            "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"contradiction\", \"idx\": 1}",
            "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"neutral\", \"idx\": 2}",
            "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"entailment\", \"idx\": 3}");
        // MultiRC (original nested): 3 answers, labels 1,0,1; scorer prefers "yes". Harness gold = label -> index 1 ('no') for label 1, so acc = 1/3; fixed acc = 2/3.
        Write("superglue/MultiRC/val.jsonl",
            "{\"idx\": 0, \"version\": 1.1, \"passage\": {\"text\": \"Text. \", \"questions\": [{\"question\": \"Q?\", \"idx\": 0, \"answers\": [{\"text\": \"a1\", \"idx\": 0, \"label\": 1}, {\"text\": \"a2\", \"idx\": 1, \"label\": 0}, {\"text\": \"a3\", \"idx\": 2, \"label\": 1}]}]}}");
        // ReCoRD: entities "Anna" (0..3) and "Bob" (9..11); the scorer prefers the longest continuation -> "Anna"? no: equal lengths, so it prefers the one containing "Bob".
        Write("superglue/ReCoRD/val.jsonl",
            "{\"source\": \"x\", \"passage\": {\"text\": \"Anna met Bob.\\n@highlight\\nThey talked\", \"entities\": [{\"start\": 0, \"end\": 3}, {\"start\": 9, \"end\": 11}]}, \"qas\": [{\"query\": \"@placeholder smiled\", \"idx\": 0, \"answers\": [{\"start\": 0, \"end\": 3, \"text\": \"Anna\"}]}, {\"query\": \"@placeholder left\", \"idx\": 1, \"answers\": [{\"start\": 9, \"end\": 11, \"text\": \"Bob\"}]}]}");
        var scorer = new FakeScorer(r => r.Continuation switch
        {
            " True" => 0,
            var c when c.EndsWith("? yes", StringComparison.Ordinal) => 0,
            var c when c.Contains("Bob", StringComparison.Ordinal) => 0,
            _ => -1,
        });
        var harness = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.SuperGlue, DataDirectory = _dir });
        var cb = harness.Subtasks.Single(s => s.Name == "cb");
        Assert.That(cb.Metrics.Single(m => m.Name == "acc").Value, Is.EqualTo(0.5));
        Assert.That(cb.Metrics.Single(m => m.Name == "f1").Value, Is.EqualTo(2.0 / 9).Within(1e-12));
        var multirc = harness.Subtasks.Single(s => s.Name == "multirc");
        Assert.That(multirc.Documents, Is.EqualTo(3));
        Assert.That(multirc.Metrics[0].Value, Is.EqualTo(1.0 / 3).Within(1e-12));
        var record = harness.Subtasks.Single(s => s.Name == "record");
        Assert.That(record.Metrics.Single(m => m.Name == "em").Value, Is.EqualTo(0.5));
        Assert.That(record.Metrics.Single(m => m.Name == "f1").Value, Is.EqualTo(0.5));
        Assert.That(harness.Aggregates[0].Value, Is.EqualTo((0.5 + (1.0 / 3) + 0.5) / 3).Within(1e-12));

        var fixedRun = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.SuperGlue, DataDirectory = _dir, FixMultiRc = true });
        Assert.That(fixedRun.Subtasks.Single(s => s.Name == "multirc").Metrics[0].Value, Is.EqualTo(2.0 / 3).Within(1e-12));
    }

    [Test]
    public async Task SuperGlue_FewShot_DrawsFromTrainWithSeed1234()
    {
        // Train pool of 30 COPA rows; expected indices: CPython 3.11 random.Random(1234).sample(list(range(30)), 3) == [24, 14, 3], first 2 kept
        // (computed with /usr/bin/python3 when this test was written).
        var train = Enumerable.Range(0, 30).Select(i => $"{{\"premise\": \"Premise {i}.\", \"choice1\": \"A{i}.\", \"choice2\": \"B{i}.\", \"question\": \"effect\", \"label\": 0, \"idx\": {i}}}").ToArray();
        Write("superglue/COPA/train.jsonl", train);
        Write("superglue/COPA/val.jsonl", "{\"premise\": \"Eval.\", \"choice1\": \"X.\", \"choice2\": \"Y.\", \"question\": \"cause\", \"label\": 1, \"idx\": 0}");
        var scorer = new FakeScorer(_ => 0);
        await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.SuperGlue, DataDirectory = _dir, Shots = 2 });
        Assert.That(scorer.Seen[0].Context, Is.EqualTo("Premise 24 therefore  a24.\n\nPremise 14 therefore  a14.\n\nEval because"));
    }

    [Test]
    public async Task Cancellation_KeepsTheScoredPrefix_AndMarksThePartialResult()
    {
        Write("blimp/adjunct_island.jsonl", Enumerable.Range(0, 10).Select(_ => Pair("a", "abc")).ToArray());
        using var cts = new CancellationTokenSource();
        var scorer = new FakeScorer(r => -r.Continuation.Length) { CancelAfter = (2, cts) };
        var result = await BenchmarkEvaluation.RunAsync(scorer, new EvaluationOptions { Benchmark = BenchmarkKind.Blimp, DataDirectory = _dir, RequestsPerChunk = 4 }, null, cts.Token);
        Assert.That(result.Partial, Is.True);
        Assert.That(result.Subtasks[0].Documents, Is.EqualTo(4));
        Assert.That(result.RequestsScored, Is.EqualTo(8));
        Assert.That(result.TotalRequests, Is.EqualTo(20));
    }
}
