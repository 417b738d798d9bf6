using Mlrb.Eval.Benchmarks;
using Mlrb.Eval.Evaluation;
using Mlrb.Eval.Statistics;
using Mlrb.Eval.Tests.Fakes;
using Mlrb.Tasks;
using Mlrb.Tasks.Runs;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Evaluation;

public class TaskEvaluatorTests
{
    private const string Gpt2Config = """{"model_type": "gpt2", "vocab_size": 50257, "n_embd": 8, "n_layer": 1}""";
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-task-eval");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static ResearchTask Task(string name) => TaskCatalog.Builtin.GetTask(name);

    private void Write(string relative, params string[] lines)
    {
        var path = Path.Combine(_dir, "data", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, lines);
    }

    private string Model(string dtype = "F32", string? config = Gpt2Config) =>
        ModelFolders.Write(Path.Combine(_dir, "model-" + dtype), config, ("w", dtype, [2, 2]));

    private TaskEvaluationOptions Options(string model, FakeScorer scorer) => new()
    {
        ModelDirectory = model,
        DataDirectory = Path.Combine(_dir, "data"),
        ScorerFactory = _ => scorer,
    };

    /// <summary>MMLU continuations are the letters: this scorer always prefers " A"; MathQA: the shortest option.</summary>
    private static FakeScorer PrefersAOrShortest() => new(r => r.Continuation switch
    {
        " A" => 0,
        " B" or " C" or " D" => -1,
        _ => -Math.Sqrt(r.Continuation.Length),
    });

    private void WriteMathData(bool withMathQa)
    {
        Write("mmlu/test/abstract_algebra_test.csv", "q1,a,b,c,d,A", "q2,a,b,c,d,B");
        Write("mmlu/test/high_school_statistics_test.csv", "q3,a,b,c,d,A", "q4,a,b,c,d,A");
        Write("mmlu/test/anatomy_test.csv", "q5,a,b,c,d,B");
        if (withMathQa)
        {
            Write("mathqa/test.jsonl",
                """{"Problem": "p1", "options": "a ) 1 , b ) 22 , c ) 333 , d ) 4444 , e ) 55555", "correct": "a"}""",
                """{"Problem": "p2", "options": "a ) 1 , b ) 22 , c ) 333 , d ) 4444 , e ) 55555", "correct": "c"}""");
        }
    }

    [Test]
    public async Task MiniMathReasoning_ScoresTheMmluMathSubjectsAndMathQa_AsTheMeanOverSubtasks()
    {
        WriteMathData(withMathQa: true);
        var scorer = PrefersAOrShortest();

        var result = await TaskEvaluator.EvaluateAsync(Task("mini_math_reasoning"), Options(Model(), scorer));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Scored), result.Detail);
        var subtasks = result.Report!.Result.Subtasks;
        Assert.That(subtasks.Select(s => s.Name), Is.EqualTo(new[] { "mmlu_abstract_algebra", "mmlu_high_school_statistics", "mathqa" }), "anatomy is not a math subject");
        Assert.That(subtasks.Select(s => s.Metrics[0].Value), Is.EqualTo(new[] { 0.5, 1.0, 0.5 }));
        Assert.That(result.Score, Is.EqualTo((0.5 + 1.0 + 0.5) / 3).Within(1e-12));
        Assert.That(result.ScoreName, Is.EqualTo("mini_math_reasoning"));
        Assert.That(result.Report.Result.MissingSubtasks, Is.EquivalentTo(new[] { "mmlu_college_mathematics", "mmlu_elementary_mathematics", "mmlu_high_school_mathematics" }));
        Assert.That(scorer.Seen.Any(r => r.Context.Contains("q5", StringComparison.Ordinal)), Is.False, "anatomy was never scored");
    }

    [Test]
    public async Task MiniMathReasoning_WithoutMathQaData_IsScoredOnMmlu_WithANote()
    {
        WriteMathData(withMathQa: false);

        var result = await TaskEvaluator.EvaluateAsync(Task("mini_math_reasoning"), Options(Model(), PrefersAOrShortest()));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Scored), result.Detail);
        Assert.That(result.Score, Is.EqualTo(0.75).Within(1e-12));
        Assert.That(result.Report!.Result.Notes, Has.Some.StartsWith("mathqa skipped"));
    }

    [Test]
    public async Task NoDataAtAll_IsAnEvaluationError_NamingTheData()
    {
        var result = await TaskEvaluator.EvaluateAsync(Task("mini_baby_lm"), Options(Model(), PrefersAOrShortest()));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.EvaluationError));
        Assert.That(result.Detail, Does.Contain("evaluation data missing").And.Contain("data folder not found"));
        Assert.That(result.Score, Is.Null);
    }

    [Test]
    public async Task LlmEfficiency_ScoresThePapersMmluFormula()
    {
        // stem: abstract_algebra 0.5 (1 of 2); humanities: formal_logic 1.0. Paper formula: mean of category means = 0.75;
        // the harness's micro average would be 2/3.
        Write("mmlu/test/abstract_algebra_test.csv", "q1,a,b,c,d,A", "q2,a,b,c,d,B");
        Write("mmlu/test/formal_logic_test.csv", "q3,a,b,c,d,A");

        var result = await TaskEvaluator.EvaluateAsync(Task("llm_efficiency"), Options(Model(), PrefersAOrShortest()));

        Assert.That(result.Score, Is.EqualTo(0.75).Within(1e-12));
        Assert.That(result.ScoreName, Is.EqualTo("mmlu_paper"));
    }

    [Test]
    public async Task EdgeTask_WithBf16Weights_IsInvalid_NamingThePrecisionRule_AndNothingIsScored()
    {
        Write("superglue/RTE/val.jsonl", """{"premise": "p", "hypothesis": "h", "label": "entailment", "idx": 0}""");
        var scorer = PrefersAOrShortest();

        var result = await TaskEvaluator.EvaluateAsync(Task("edge_llm_training"), Options(Model("BF16"), scorer));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(result.Violations.Single().Rule, Is.EqualTo("allowed_precisions"));
        Assert.That(result.Detail, Does.Contain("BF16").And.Contain("FP16 or FP32"));
        Assert.That(result.Score, Is.Null);
        Assert.That(scorer.Calls, Is.Zero, "a submission that breaks a rule is not scored");
    }

    [Test]
    public async Task ParameterLimit_IsEnforced_FromTheTaskRecord()
    {
        Assert.That(Task("llm_merging").MaxParameters, Is.EqualTo(8_000_000_000));
        var task = Task("llm_merging") with { MaxParameters = 3 };

        var result = await TaskEvaluator.EvaluateAsync(task, Options(Model(), PrefersAOrShortest()));

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(result.Violations.Single().Rule, Is.EqualTo("max_parameters"));
        Assert.That(result.Detail, Does.Contain("4 parameters").And.Contain("at most 3"));
    }

    [Test]
    public void DeviceMemory_WeightsLargerThanTheLimit_BreakTheRule()
    {
        var plan = TaskEvaluationPlan.For(Task("edge_llm_training")) with { MemoryLimitBytes = 8 };
        var model = Model();

        var (violations, _) = SubmissionRules.Check(plan, model, ModelInspector.Inspect(model));

        Assert.That(violations.Single().Rule, Is.EqualTo("device_memory"));
        Assert.That(violations[0].Message, Does.Contain("16 bytes").And.Contain("limit is 8 bytes"));
    }

    [Test]
    public void BaseModel_Phi2_AcceptsAPrunedPhi_AndRejectsOtherFamiliesAndVocabularies()
    {
        var plan = TaskEvaluationPlan.For(Task("edge_llm_compression"));
        Assert.That(plan.BaseModel, Is.EqualTo("microsoft/phi-2"));
        var pruned = Model("F16", """{"model_type": "phi", "vocab_size": 51200, "hidden_size": 2048, "num_hidden_layers": 24}""");
        var gpt2 = Model("F32", Gpt2Config);

        var (ok, _) = SubmissionRules.Check(plan, pruned, ModelInspector.Inspect(pruned));
        var (bad, _) = SubmissionRules.Check(plan, gpt2, ModelInspector.Inspect(gpt2));

        Assert.That(ok, Is.Empty);
        Assert.That(bad.Single().Rule, Is.EqualTo("base_model"));
        Assert.That(bad[0].Message, Does.Contain("model_type is 'gpt2'").And.Contain("vocab_size is 50257"));
    }

    [Test]
    public void BaseModel_Phi2_RejectsAModelLargerThanPhi2()
    {
        var plan = TaskEvaluationPlan.For(Task("edge_llm_compression"));
        var wide = Model("F16", """{"model_type": "phi", "vocab_size": 51200, "hidden_size": 4096, "num_hidden_layers": 40}""");

        var (violations, _) = SubmissionRules.Check(plan, wide, ModelInspector.Inspect(wide));

        Assert.That(violations.Single().Message, Does.Contain("hidden size 4096 exceeds").And.Contain("40 layers exceed"));
    }

    [Test]
    public async Task MissingFolder_AndGarbageFolder_AreInvalidSubmissions()
    {
        var garbage = Path.Combine(_dir, "garbage");
        Directory.CreateDirectory(garbage);
        File.WriteAllText(Path.Combine(garbage, "config.json"), "this is not json");
        File.WriteAllBytes(Path.Combine(garbage, "model.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        var missing = await TaskEvaluator.EvaluateAsync(Task("mini_baby_lm"), Options(Path.Combine(_dir, "nope"), PrefersAOrShortest()));
        var broken = await TaskEvaluator.EvaluateAsync(Task("mini_baby_lm"), new TaskEvaluationOptions { ModelDirectory = garbage, DataDirectory = Path.Combine(_dir, "data") });

        Assert.That(missing.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(missing.Violations.Single().Rule, Is.EqualTo("model_folder"));
        Assert.That(broken.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(broken.Violations.Single().Rule, Is.EqualTo("loadable_model"));
    }

    [Test]
    public async Task UnloadableModel_WithReadableWeights_IsAnInvalidSubmission()
    {
        Write("blimp/passive_1.jsonl", """{"sentence_good": "a", "sentence_bad": "b"}""");

        // Real engine, weights readable but no config.json or tokenizer: the model does not load.
        var result = await TaskEvaluator.EvaluateAsync(Task("mini_baby_lm"), new TaskEvaluationOptions { ModelDirectory = Model(config: null), DataDirectory = Path.Combine(_dir, "data") });

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.InvalidSubmission));
        Assert.That(result.Detail, Does.StartWith("loadable_model: the model does not load"));
    }

    [Test]
    public async Task ValidationSplit_ReadsMmluVal_NotTest()
    {
        Write("mmlu/test/abstract_algebra_test.csv", "test-question,a,b,c,d,A");
        Write("mmlu/val/abstract_algebra_val.csv", "val-question,a,b,c,d,B");
        var scorer = PrefersAOrShortest();

        var result = await TaskEvaluator.EvaluateAsync(Task("mini_math_reasoning"), Options(Model(), scorer) with { Split = EvaluationSplit.Validation });

        Assert.That(result.Score, Is.EqualTo(0.0));
        Assert.That(scorer.Seen.All(r => r.Context.Contains("val-question", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task TaskFromATaskFile_IsScoredLikeABuiltinOne()
    {
        var yaml = TaskFile.ToYaml(Task("baby_lm") with { Name = "my_blimp", MaxParameters = 1_000 });
        var custom = TaskFile.Parse(yaml, "my_blimp.yaml", TaskFileFormat.Yaml);
        Write("blimp/passive_1.jsonl", """{"sentence_good": "ab", "sentence_bad": "abcd"}""", """{"sentence_good": "abcd", "sentence_bad": "ab"}""");

        var result = await TaskEvaluator.EvaluateAsync(custom, Options(Model(), new FakeScorer(r => -r.Continuation.Length)));

        Assert.That(custom.MaxParameters, Is.EqualTo(1_000), "max_parameters round-trips through the task file");
        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Scored));
        Assert.That(result.Score, Is.EqualTo(0.5));
        Assert.That(result.ScoreName, Is.EqualTo("blimp"));
    }

    [Test]
    public async Task MiniMathReasoning_OnTheSharedMmluSlices_WithTheTinyGpt2()
    {
        var data = Path.GetDirectoryName(TestPaths.RequireSharedData("benchmarks/mmlu/test/abstract_algebra_test.csv"))!;
        var root = Path.GetFullPath(Path.Combine(data, "..", ".."));
        var model = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");

        var result = await TaskEvaluator.EvaluateAsync(Task("mini_math_reasoning"), new TaskEvaluationOptions { ModelDirectory = model, DataDirectory = root, Limit = 4, Threads = 2 });

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Scored), result.Detail);
        var scored = result.Report!.Result.Subtasks.Where(s => s.Documents > 0).ToList();
        Assert.That(scored.Select(s => s.Name), Is.EqualTo(new[] { "mmlu_abstract_algebra" }), "the slices hold test data for abstract_algebra only among the math subjects");
        Assert.That(scored[0].Documents, Is.EqualTo(4));
        Assert.That(result.Score, Is.EqualTo(scored[0].Metrics[0].Value));
        Assert.That(result.Report.Result.Notes, Has.Some.StartsWith("mathqa skipped"), "MathQA is not in the slices");
        Assert.That(result.Report.ModelSha256, Is.Not.Null);
    }
}
