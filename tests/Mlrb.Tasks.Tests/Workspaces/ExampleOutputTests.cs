using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Workspaces;

/// <summary>The paper's §4 inputs: every workspace holds the task's example output, and the task prompt names it.</summary>
public class ExampleOutputTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = TestPaths.CreateTempDirectory("mlrb-example");

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static IEnumerable<ResearchTask> AllTasks() => TaskCatalog.Builtin.Tasks;

    private WorkspaceFactory Factory(WorkspaceOptions? options = null) => new(options ?? new WorkspaceOptions { RootDirectory = _root });

    [TestCaseSource(nameof(AllTasks))]
    public async Task EveryTask_GetsAnExampleOutput_ShapedLikeReturnFn_FromItsRecord(ResearchTask task)
    {
        var workspace = await Factory().CreateAsync(task);

        Assert.That(workspace.ExampleOutputPath, Is.EqualTo(Path.Combine(workspace.RootPath, "example_output.json")));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(workspace.ExampleOutputPath!))!;
        Assert.That(json["task"]!.GetValue<string>(), Is.EqualTo(task.Name));
        var returnFn = json["return_fn"]!.AsObject();
        Assert.That(returnFn.Select(p => p.Key), Is.EquivalentTo(new[] { "model_path", "metrics", "submission" }), "return_fn's own argument names");
        Assert.That(returnFn["metrics"]!.AsObject().Count, Is.EqualTo(task.Evaluation.Benchmarks.Count), "one metric per benchmark");
        var benchmarks = json["scored_by"]!["benchmarks"]!.AsArray();
        Assert.That(benchmarks.Select(b => b!["name"]!.GetValue<string>()), Is.EqualTo(task.Evaluation.Benchmarks.Select(b => b.Name)));
        Assert.That(json["scored_by"]!["aggregation"]!.GetValue<string>(), Is.EqualTo(task.Evaluation.AggregationFormula.Trim()));
    }

    [Test]
    public async Task TheModelFoldersRules_AreTheTasks()
    {
        var merging = JsonNode.Parse(await File.ReadAllTextAsync((await Factory().CreateAsync(TaskCatalog.Builtin.GetTask("llm_merging"))).ExampleOutputPath!))!;
        var compression = JsonNode.Parse(await File.ReadAllTextAsync((await Factory().CreateAsync(TaskCatalog.Builtin.GetTask("edge_llm_compression"))).ExampleOutputPath!))!;
        var babyLm = JsonNode.Parse(await File.ReadAllTextAsync((await Factory().CreateAsync(TaskCatalog.Builtin.GetTask("mini_baby_lm"))).ExampleOutputPath!))!;

        Assert.That(merging["model_folder"]!["max_parameters"]!.GetValue<long>(), Is.EqualTo(8_000_000_000L));
        Assert.That(compression["model_folder"]!["allowed_precisions"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EquivalentTo(new[] { "FP16", "FP32" }));
        Assert.That(compression["model_folder"]!["base_model"]!.GetValue<string>(), Is.EqualTo("microsoft/phi-2"));
        Assert.That(compression["model_folder"]!["device_memory_gb"]!.GetValue<int>(), Is.EqualTo(12));
        Assert.That(babyLm["return_fn"]!["metrics"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "blimp_acc" }));
        Assert.That(babyLm["model_folder"]!.AsObject().ContainsKey("max_parameters"), Is.False, "no limit, no field");
    }

    [Test]
    public async Task ThePrompt_NamesTheFile_ThatExists()
    {
        var task = TaskCatalog.Builtin.GetTask("mini_baby_lm");
        var workspace = await Factory().CreateAsync(task);

        var prompt = new PromptRenderer().RenderTaskPrompt(task, workspace.ToPromptContext());
        var withoutFile = new PromptRenderer().RenderTaskPrompt(task, new PromptContext { WorkingDirectory = workspace.RootPath });

        Assert.That(prompt, Does.Contain($"- Example output: {Path.Combine(workspace.RootPath, "example_output.json")} shows the shape of the final submission"));
        Assert.That(withoutFile, Does.Not.Contain("Example output"));
    }

    [Test]
    public async Task TheFileName_IsAnOption_AndMustStayInTheRunFolder()
    {
        var task = TaskCatalog.Builtin.GetTask("mini_pile");
        var workspace = await Factory(new WorkspaceOptions { RootDirectory = _root, ExampleOutputFileName = "inputs/expected.json" }).CreateAsync(task);

        Assert.That(File.Exists(Path.Combine(workspace.RootPath, "inputs", "expected.json")), Is.True);
        Assert.That(new PromptRenderer().RenderTaskPrompt(task, workspace.ToPromptContext()), Does.Contain(Path.Combine(workspace.RootPath, "inputs", "expected.json")));
        Assert.Throws<ArgumentException>(() => Factory(new WorkspaceOptions { RootDirectory = _root, ExampleOutputFileName = "../escape.json" }));
        Assert.Throws<ArgumentException>(() => Factory(new WorkspaceOptions { RootDirectory = _root, ExampleOutputFileName = "/tmp/escape.json" }));
    }

    [Test]
    public void ThePromptMentionsTheEvaluateTool_OnlyWhenTheAgentHasIt()
    {
        var task = TaskCatalog.Builtin.GetTask("mini_baby_lm");
        var context = new PromptContext { WorkingDirectory = _root };

        var with = new PromptRenderer().RenderTaskPrompt(task, context with { ToolNames = [.. PromptContext.DefaultToolNames, "evaluate"] });
        var without = new PromptRenderer().RenderTaskPrompt(task, context);

        Assert.That(with, Does.Contain("- Self-check: the evaluate tool scores a saved model folder"));
        Assert.That(without, Does.Not.Contain("evaluate tool"));
    }
}
