using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mlrb.Tasks;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

public partial class TasksCommandTests
{
    private static readonly string[] FullTasks =
        ["llm_efficiency", "baby_lm", "mini_pile", "llm_merging", "edge_llm_compression", "edge_llm_training", "math_reasoning"];

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-cli-tasks");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task List_WithNoArguments_ShowsTheSevenPaperTasks()
    {
        var (code, output, error) = await RunAsync("tasks", "list");

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("Name").And.Contain("Full name").And.Contain("Time limit").And.Contain("Benchmark"));
        foreach (var name in FullTasks)
        {
            Assert.That(output, Does.Contain(name));
        }

        Assert.That(output, Does.Contain("BabyLM Challenge (Strict-Small)").And.Contain("24h").And.Contain("BLiMP").And.Contain("SuperGLUE"));
        Assert.That(output, Does.Not.Contain("mini_baby_lm"));
        Assert.That(output, Does.Contain("7 task(s)."));
    }

    [Test]
    public async Task List_Mini_ShowsTheSixEightHourVariants()
    {
        var (code, output, _) = await RunAsync("tasks", "list", "--benchmark", "mini");

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("mini_baby_lm").And.Contain("mini_math_reasoning").And.Contain("8h"));
        Assert.That(output, Does.Not.Contain("│ baby_lm "));
        Assert.That(output, Does.Contain("6 task(s)."));
    }

    [Test]
    public async Task List_UnknownBenchmark_FailsWithTheChoices()
    {
        var (code, _, error) = await RunAsync("tasks", "list", "--benchmark", "huge");

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("huge").And.Contain("full"));
    }

    [Test]
    public async Task ListJson_GivesTheSevenTasks_WithEveryField_InTheTaskFileSchema()
    {
        var (code, output, error) = await RunAsync("tasks", "list", "--json");

        Assert.That(code, Is.Zero, error);
        using var document = JsonDocument.Parse(output);
        var tasks = document.RootElement.EnumerateArray().ToList();
        Assert.That(tasks.Select(t => t.GetProperty("name").GetString()), Is.EqualTo(FullTasks));
        foreach (var task in tasks)
        {
            foreach (var field in new[] { "full_name", "task", "dataset_policy", "model_policy", "time_limit", "expected_result", "additional_info", "formula" })
            {
                Assert.That(task.GetProperty(field).GetString(), Is.Not.Empty, field);
            }

            Assert.That(task.GetProperty("rules").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(task.GetProperty("libraries").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(task.GetProperty("compute").GetProperty("gpu_memory_gb").GetInt32(), Is.EqualTo(40));
            Assert.That(task.GetProperty("evaluation").GetProperty("self_evaluation_command").GetString(), Is.Not.Empty);

            // Each element is a task file as it stands.
            var reloaded = TaskFile.Parse(task.GetRawText(), "element.json", TaskFileFormat.Json);
            Assert.That(reloaded.Name, Is.EqualTo(task.GetProperty("name").GetString()));
        }
    }

    [Test]
    public async Task Show_BabyLm_WithWorkdir_HasNoEmptyFieldNoPlaceholderAndThePath()
    {
        var workdir = Path.Combine(_dir, "my work dir");

        var (code, output, error) = await RunAsync("tasks", "show", "baby_lm", "--workdir", workdir);

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain(workdir));
        Assert.That(Placeholder().Matches(output).Select(m => m.Value), Is.Empty);
        foreach (var label in new[] { "Task:", "Datasets:", "Libraries:", "Compute:", "Time limit:", "Expected result:", "Rules:", "Benchmarks:", "Self-evaluation:", "Formula:", "Additional info:", "Starter code:" })
        {
            var line = output.Split('\n').First(l => l.StartsWith(label, StringComparison.Ordinal));
            Assert.That(line[label.Length..].Trim(), Is.Not.Empty, label);
        }

        Assert.That(output.Split('\n').Where(l => Regex.IsMatch(l, @"^[A-Z][A-Za-z -]+:\s*$") && !l.StartsWith("Rules:", StringComparison.Ordinal) && !l.StartsWith("Task details:", StringComparison.Ordinal) && !l.StartsWith("How your output", StringComparison.Ordinal)), Is.Empty, "a label without a value");
        Assert.That(output, Does.Contain("load_dataset('AlgorithmicResearchGroup/babylm')"));
        Assert.That(output, Does.Contain("https://github.com/babylm/evaluation-pipeline-2024"));
        Assert.That(output, Does.Contain("Your task (baby_lm)"), "the rendered prompt follows the fields");
    }

    [Test]
    public async Task Show_LlmMerging_RendersTheKitPathUnderTheWorkdir()
    {
        var (code, output, _) = await RunAsync("tasks", "show", "llm_merging", "--workdir", _dir);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain(Path.Combine(_dir, "llm_merging")));
        Assert.That(output, Does.Not.Contain("{workdir}"));
    }

    [Test]
    public async Task Show_Json_HasTheTaskAndThePrompt()
    {
        var (code, output, _) = await RunAsync("tasks", "show", "mini_pile", "--workdir", _dir, "--json");

        Assert.That(code, Is.Zero);
        using var document = JsonDocument.Parse(output);
        Assert.That(document.RootElement.GetProperty("task").GetProperty("name").GetString(), Is.EqualTo("mini_pile"));
        Assert.That(document.RootElement.GetProperty("working_directory").GetString(), Is.EqualTo(_dir));
        Assert.That(document.RootElement.GetProperty("task_prompt").GetString(), Does.Contain(_dir).And.Contain("SuperGLUE"));
    }

    [Test]
    public async Task Show_UnknownTask_ExitsNonZero_ListingTheValidNames()
    {
        var (code, output, error) = await RunAsync("tasks", "show", "babylm");

        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("unknown task 'babylm'"));
        foreach (var name in FullTasks)
        {
            Assert.That(error, Does.Contain(name));
        }

        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), "a one-line error");
    }

    [Test]
    public async Task TasksDir_AddsUserTasks_ToListAndShow()
    {
        var baby = TaskCatalog.Builtin.GetTask("baby_lm");
        TaskFile.Save(baby with { Name = "my_task", FullName = "My Own Task", TimeLimit = TimeSpan.FromHours(2) }, Path.Combine(_dir, "my_task.yaml"));

        var (listCode, list, _) = await RunAsync("tasks", "list", "--tasks-dir", _dir);
        var (showCode, show, _) = await RunAsync("tasks", "show", "my_task", "--tasks-dir", _dir, "--workdir", _dir);

        Assert.That(listCode, Is.Zero);
        Assert.That(list, Does.Contain("my_task").And.Contain("My Own Task").And.Contain("2h"));
        Assert.That(list, Does.Contain("8 task(s)."));
        Assert.That(showCode, Is.Zero);
        Assert.That(show, Does.Contain("you have 2 hours in total"));
    }

    [Test]
    public async Task TasksDir_WithAMalformedFile_FailsNamingFileLineAndField()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, TaskFile.ToYaml(TaskCatalog.Builtin.GetTask("baby_lm") with { Name = "bad" }).Replace("time_limit: 24h", "time_limit: forever", StringComparison.Ordinal));

        var (code, _, error) = await RunAsync("tasks", "list", "--tasks-dir", _dir);

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain(path + ":").And.Contain("'time_limit'").And.Contain("forever"));
    }

    [Test]
    public async Task TasksDir_Missing_FailsWithAClearMessage()
    {
        var (code, _, error) = await RunAsync("tasks", "list", "--tasks-dir", Path.Combine(_dir, "nope"));

        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("nope").And.Contain("does not exist"));
    }

    [Test]
    public async Task List_WritesToConsoleOut_WhenNotRedirectedByConfiguration()
    {
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            var code = await CliApplication.BuildRoot().Parse(["tasks", "list", "--benchmark", "all"]).InvokeAsync();
            Assert.That(code, Is.Zero);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.That(writer.ToString(), Does.Contain("mini_llm_merging").And.Contain("13 task(s)."));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"\{\{|\$\{|\{\s*your\b|\{[A-Za-z_][A-Za-z0-9_ ]*\}", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();
}
