namespace Mlrb.Tasks.Tests.Catalog;

public class TaskCatalogTests
{
    private static readonly string[] PaperTasks =
    [
        "llm_efficiency", "baby_lm", "mini_pile", "llm_merging", "edge_llm_compression", "edge_llm_training", "math_reasoning",
    ];

    private static readonly string[] MiniTasks =
    [
        "mini_llm_efficiency", "mini_baby_lm", "mini_mini_pile", "mini_llm_merging", "mini_edge_llm_compression", "mini_math_reasoning",
    ];

    [Test]
    public void Builtin_HasThePapersSevenTasksAndTheSixMiniVariants()
    {
        var catalog = TaskCatalog.Builtin;

        Assert.That(catalog.List(BenchmarkSuite.Full).Select(t => t.Name), Is.EquivalentTo(PaperTasks));
        Assert.That(catalog.List(BenchmarkSuite.Mini).Select(t => t.Name), Is.EquivalentTo(MiniTasks));
        Assert.That(catalog.Tasks, Has.Count.EqualTo(13));
    }

    [TestCaseSource(nameof(AllNames))]
    public void EveryTask_HasEveryRequiredFieldFilled(string name)
    {
        var task = TaskCatalog.Builtin.GetTask(name);

        Assert.Multiple(() =>
        {
            Assert.That(task.FullName, Is.Not.Empty);
            Assert.That(task.TaskText, Is.Not.Empty);
            Assert.That(task.DatasetPolicy, Is.Not.Empty);
            Assert.That(task.ModelPolicy, Is.Not.Empty);
            Assert.That(task.Libraries, Is.Not.Empty);
            Assert.That(task.ExpectedResult, Is.Not.Empty);
            Assert.That(task.Rules, Is.Not.Empty);
            Assert.That(task.Rules, Has.All.Not.Empty);
            Assert.That(task.AdditionalInfo, Is.Not.Empty.And.Not.EqualTo("None"));
            Assert.That(task.Formula, Is.Not.Empty.And.Not.EqualTo("None"));
            Assert.That(task.Evaluation.Benchmarks, Is.Not.Empty);
            Assert.That(task.Evaluation.AggregationFormula, Is.Not.Empty);
            Assert.That(task.Evaluation.SelfEvaluationCommand, Is.Not.Empty);
            Assert.That(task.Compute.GpuMemoryGb, Is.GreaterThan(0));
            Assert.That(task.TimeLimit, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(task.Choices, Is.Not.Empty, "every built-in task documents at least the compute choice");
        });
    }

    [Test]
    public void FullTasks_FollowThePaper_24HoursOnOneA100With40GbAnd128GbRam()
    {
        foreach (var task in TaskCatalog.Builtin.List(BenchmarkSuite.Full))
        {
            Assert.That(task.TimeLimit, Is.EqualTo(TimeSpan.FromHours(24)), task.Name);
            Assert.That(task.Compute.GpuKind, Does.Contain("A100"), task.Name);
            Assert.That(task.Compute.GpuMemoryGb, Is.EqualTo(40), task.Name);
            Assert.That(task.Compute.RamGb, Is.EqualTo(128), task.Name);
        }
    }

    [Test]
    public void MiniTasks_Are8HourVariantsOfAFullTaskStartingFromTheSmallGpt2()
    {
        foreach (var task in TaskCatalog.Builtin.List(BenchmarkSuite.Mini))
        {
            Assert.That(task.TimeLimit, Is.EqualTo(TimeSpan.FromHours(8)), task.Name);
            Assert.That(task.BaseTask, Is.Not.Null, task.Name);
            Assert.That(TaskCatalog.Builtin.TryGet(task.BaseTask!, out var full), Is.True, task.Name);
            Assert.That(full!.Suite, Is.EqualTo(BenchmarkSuite.Full));
            Assert.That(task.AllowedModels, Does.Contain("AlgorithmicResearchGroup/gpt2-xs"), task.Name);
            Assert.That(task.Rules, Has.None.Contains("24 hours"), task.Name);
        }
    }

    [TestCase("llm_efficiency", BenchmarkNames.Mmlu)]
    [TestCase("baby_lm", BenchmarkNames.Blimp)]
    [TestCase("mini_pile", BenchmarkNames.SuperGlue)]
    [TestCase("llm_merging", BenchmarkNames.Mmlu)]
    [TestCase("edge_llm_compression", BenchmarkNames.Mmlu)]
    [TestCase("edge_llm_training", BenchmarkNames.SuperGlue)]
    [TestCase("math_reasoning", BenchmarkNames.Bleu)]
    public void Benchmarks_MatchThePapersTable2(string name, string benchmark)
    {
        var task = TaskCatalog.Builtin.GetTask(name);

        Assert.That(task.Evaluation.Benchmarks[0].Name, Is.EqualTo(benchmark));
    }

    [Test]
    public void LlmMerging_IsScoredOnMmlu_AndDocumentsTheCosmosQaXsumContradiction()
    {
        var task = TaskCatalog.Builtin.GetTask("llm_merging");

        Assert.That(task.ExpectedResult, Does.Contain("MMLU"));
        Assert.That(task.ExpectedResult, Does.Not.Contain("CosmosQA"));
        Assert.That(task.Choices.Select(c => c.Conflict), Has.Some.Contains("CosmosQA"));
        Assert.That(task.StarterKit, Is.EqualTo("llm_merging"));
    }

    [Test]
    public void EdgeTasks_RestrictDeviceMemoryAndPrecision_AsThePaperSays()
    {
        var compression = TaskCatalog.Builtin.GetTask("edge_llm_compression");
        var training = TaskCatalog.Builtin.GetTask("edge_llm_training");

        Assert.That(compression.DeviceMemoryLimitGb, Is.EqualTo(12));
        Assert.That(training.DeviceMemoryLimitGb, Is.EqualTo(1));
        Assert.That(training.Choices.Select(c => c.Field), Does.Contain("device_memory_limit_gb"));
        Assert.That(compression.AllowedPrecisions, Is.EquivalentTo(new[] { WeightPrecision.Fp16, WeightPrecision.Fp32 }));
        Assert.That(training.AllowedPrecisions, Is.EquivalentTo(new[] { WeightPrecision.Fp16, WeightPrecision.Fp32 }));
        Assert.That(TaskCatalog.Builtin.GetTask("baby_lm").AllowedPrecisions, Is.Empty);
    }

    [Test]
    public void BabyLmAndMiniPile_CarryTheDatasetShapesFromTheReference()
    {
        var babyLm = TaskCatalog.Builtin.GetTask("baby_lm").Datasets.Single();
        var miniPile = TaskCatalog.Builtin.GetTask("mini_pile").Datasets.Single();

        Assert.That(babyLm.HuggingFaceId, Is.EqualTo("AlgorithmicResearchGroup/babylm"));
        Assert.That(babyLm.Splits.Select(s => (s.Name, s.Rows)), Is.EqualTo(new[] { ("train", 6L), ("test", 6L), ("dev", 6L) }));
        Assert.That(babyLm.Splits[0].Columns, Is.EqualTo(new[] { "filename", "content" }));
        Assert.That(miniPile.Splits.Select(s => s.Rows), Is.EqualTo(new[] { 1_000_000L, 500L, 10_000L }));
    }

    [Test]
    public void GetTask_IsCaseInsensitive()
    {
        Assert.That(TaskCatalog.Builtin.GetTask("BABY_LM").Name, Is.EqualTo("baby_lm"));
    }

    [Test]
    public void GetTask_UnknownName_ThrowsWithTheKnownNames()
    {
        var ex = Assert.Throws<UnknownTaskException>(() => TaskCatalog.Builtin.GetTask("baby_llm"));

        Assert.That(ex!.Message, Does.Contain("baby_llm"));
        foreach (var name in PaperTasks.Concat(MiniTasks))
        {
            Assert.That(ex.Message, Does.Contain(name));
        }

        Assert.That(ex.KnownNames, Has.Count.EqualTo(13));
    }

    [Test]
    public void Constructor_DuplicateNames_Throws()
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm");

        var ex = Assert.Throws<ArgumentException>(() => _ = new TaskCatalog([task, task with { FullName = "Other" }]));
        Assert.That(ex!.Message, Does.Contain("baby_lm"));
    }

    private static IEnumerable<string> AllNames() => PaperTasks.Concat(MiniTasks);
}
