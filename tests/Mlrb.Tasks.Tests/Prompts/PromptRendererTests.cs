using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlrb.Tasks.Tests.Prompts;

public partial class PromptRendererTests
{
    private static readonly string WorkDir = Path.Combine(Path.GetTempPath(), "mlrb-prompt-test", "run-42");

    private readonly PromptRenderer _renderer = new();

    private static PromptContext Context => new() { WorkingDirectory = WorkDir };

    [TestCaseSource(nameof(AllTasks))]
    public void TaskPrompt_RendersEveryFieldOfTheTask(ResearchTask task)
    {
        var prompt = _renderer.RenderTaskPrompt(task, Context);
        string X(string text) => text.Replace("{workdir}", WorkDir, StringComparison.Ordinal).Trim();

        Assert.Multiple(() =>
        {
            Assert.That(prompt, Does.Contain(task.FullName));
            Assert.That(prompt, Does.Contain(task.Name));
            foreach (var line in X(task.TaskText).Split('\n'))
            {
                Assert.That(prompt, Does.Contain(line.Trim()), "task text");
            }

            Assert.That(prompt, Does.Contain(X(task.DatasetPolicy)));
            foreach (var dataset in task.Datasets)
            {
                Assert.That(prompt, Does.Contain(dataset.LoadCall));
                foreach (var split in dataset.Splits)
                {
                    Assert.That(prompt, Does.Contain($"split '{split.Name}' with {split.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows"));
                    Assert.That(prompt, Does.Contain(string.Join(", ", split.Columns)));
                }
            }

            Assert.That(prompt, Does.Contain(X(task.ModelPolicy)));
            foreach (var model in task.AllowedModels)
            {
                Assert.That(prompt, Does.Contain(model));
            }

            foreach (var library in task.Libraries)
            {
                Assert.That(prompt, Does.Contain(library));
            }

            Assert.That(prompt, Does.Contain(task.Compute.Describe()));
            Assert.That(prompt, Does.Contain(X(task.ExpectedResult)));
            foreach (var rule in task.Rules)
            {
                Assert.That(prompt, Does.Contain(X(rule)));
            }

            Assert.That(prompt, Does.Contain(X(task.Evaluation.AggregationFormula)));
            Assert.That(prompt, Does.Contain(X(task.Evaluation.SelfEvaluationCommand)));
            foreach (var benchmark in task.Evaluation.Benchmarks)
            {
                Assert.That(prompt, Does.Contain($"{benchmark.Shots}-shot, metric {benchmark.Metric}"));
            }

            Assert.That(prompt, Does.Contain(X(task.Formula)));
            Assert.That(prompt, Does.Contain(X(task.AdditionalInfo)));
            Assert.That(prompt, Does.Contain(task.StarterCode?.AbsoluteUri ?? "Starter code: none for this task"));
            if (task.StarterKit is { } kit)
            {
                Assert.That(prompt, Does.Contain(Path.Combine(WorkDir, kit)));
            }

            if (task.DeviceMemoryLimitGb is { } memory)
            {
                Assert.That(prompt, Does.Contain($"device with {memory} GB of memory"));
            }

            if (task.AllowedPrecisions.Count > 0)
            {
                Assert.That(prompt, Does.Contain("must be FP16 or FP32"));
            }
        });
    }

    [TestCaseSource(nameof(AllTasks))]
    public void NoPrompt_LeavesAPlaceholderOrAnEmptyLine(ResearchTask task)
    {
        var prompts = new[]
        {
            _renderer.RenderTaskPrompt(task, Context),
            _renderer.RenderSupervisorSystemPrompt(task, Context),
            _renderer.RenderWorkerSystemPrompt(task, Context),
            _renderer.RenderWorkerTurnPrompt(task, Context, new WorkerTurnState { Elapsed = TimeSpan.Zero }),
            _renderer.RenderWorkerTurnPrompt(task, Context, new WorkerTurnState
            {
                Elapsed = TimeSpan.FromMinutes(75),
                Plan = ["Load the data", "Train"],
                RecentActions = ["run_bash: ls"],
                PreviousAttempt = "run_python train.py",
                PreviousOutput = "loss 3.2",
                PreviousErrors = "warning",
            }),
        };

        foreach (var prompt in prompts)
        {
            Assert.That(Placeholder().Matches(prompt).Select(m => m.Value), Is.Empty, prompt);
            Assert.That(prompt, Does.Not.Contain("{workdir}"));
            Assert.That(prompt, Does.Contain(WorkDir), "the working directory is a real path");
            Assert.That(prompt.Split('\n').Where(l => l.TrimEnd().EndsWith(':') && l.TrimStart().StartsWith('-')), Is.Empty, "a bullet with an empty value");
        }
    }

    [Test]
    public void Prompts_FixTheReferencesTypos()
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm");
        var all = string.Join('\n', _renderer.RenderTaskPrompt(task, Context), _renderer.RenderSupervisorSystemPrompt(task, Context),
            _renderer.RenderWorkerSystemPrompt(task, Context), _renderer.RenderWorkerTurnPrompt(task, Context, new WorkerTurnState { Elapsed = TimeSpan.Zero }));

        Assert.That(all, Does.Not.Contain("acheive").And.Not.Contain("has is constructed").And.Not.Contain("Last 10 actions"));
        Assert.That(all, Does.Not.Contain("find the working directory").IgnoreCase, "the path is given, so the agent need not search for it");
        Assert.That(all, Does.Not.Contain("get_paper_abstract"), "a tool the reference advertised but never had");
    }

    [Test]
    public void TimeBudget_ComesFromTheTask_OrTheContextOverride()
    {
        var full = TaskCatalog.Builtin.GetTask("baby_lm");
        var mini = TaskCatalog.Builtin.GetTask("mini_baby_lm");

        Assert.That(_renderer.RenderWorkerSystemPrompt(full, Context), Does.Contain("You have 24 hours in total"));
        Assert.That(_renderer.RenderWorkerSystemPrompt(mini, Context), Does.Contain("You have 8 hours in total"));
        Assert.That(_renderer.RenderTaskPrompt(mini, Context), Does.Contain("you have 8 hours in total"));
        Assert.That(_renderer.RenderSupervisorSystemPrompt(full, Context with { TimeLimit = TimeSpan.FromMinutes(90) }), Does.Contain("1 hour 30 minutes in total"));
    }

    [Test]
    public void TurnPrompt_ShowsTimeSpentAndRemainingAgainstTheTasksBudget()
    {
        var mini = TaskCatalog.Builtin.GetTask("mini_baby_lm");
        var state = new WorkerTurnState { Elapsed = TimeSpan.FromMinutes(90.5) };

        var prompt = _renderer.RenderWorkerTurnPrompt(mini, Context, state);
        var overrun = _renderer.RenderWorkerTurnPrompt(mini, Context, state with { Elapsed = TimeSpan.FromHours(9) });

        Assert.That(prompt, Does.Contain("Time spent: 90.50 minutes. Time remaining: 389.50 minutes (of 8 hours)."));
        Assert.That(overrun, Does.Contain("Time remaining: 0.00 minutes"));
    }

    [Test]
    public void TurnPrompt_ListsPlanAndHistory()
    {
        var task = TaskCatalog.Builtin.GetTask("mini_pile");
        var prompt = _renderer.RenderWorkerTurnPrompt(task, Context, new WorkerTurnState
        {
            Elapsed = TimeSpan.FromMinutes(5),
            Plan = ["Tokenize MiniPile", "Train a 6-layer GPT-2"],
            RecentActions = ["write_code: train.py", "run_python: train.py"],
            PreviousAttempt = "run_python train.py",
            PreviousOutput = "step 100 loss 5.1",
            PreviousErrors = "CUDA warning",
        });

        Assert.That(prompt, Does.Contain("1. Tokenize MiniPile\n2. Train a 6-layer GPT-2"));
        Assert.That(prompt, Does.Contain("Recent actions (the last 2):\n- write_code: train.py\n- run_python: train.py"));
        Assert.That(prompt, Does.Contain("step 100 loss 5.1").And.Contain("CUDA warning").And.Contain("run_python train.py"));
        Assert.That(prompt, Does.Contain("Your goal: MiniPile Challenge (mini_pile). Use the MiniPile dataset"));
    }

    [Test]
    public void SystemPrompts_ListTheContextsTools_AndAdaptToThem()
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm");
        var context = Context with { ToolNames = ["run_bash", "return_fn"] };

        var worker = _renderer.RenderWorkerSystemPrompt(task, context);
        var supervisor = _renderer.RenderSupervisorSystemPrompt(task, Context);

        Assert.That(worker, Does.Contain("Your tools: run_bash, return_fn."));
        Assert.That(worker, Does.Not.Contain("scratchpad tool").And.Not.Contain("thought tool"));
        Assert.That(worker, Does.Contain(Path.Combine(WorkDir, "scratchpad.txt")));
        Assert.That(supervisor, Does.Contain(string.Join(", ", PromptContext.DefaultToolNames)));
        Assert.That(supervisor, Does.Contain("one NVIDIA A100 40GB GPU, 128 GB of RAM and 500 GB of disk"));
    }

    [Test]
    public void RelativeWorkingDirectory_IsRenderedAbsolute()
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm");

        var prompt = _renderer.RenderWorkerSystemPrompt(task, new PromptContext { WorkingDirectory = "runs/abc" });

        Assert.That(prompt, Does.Contain(Path.GetFullPath("runs/abc")));
    }

    [Test]
    public void LlmMergingPrompt_PointsAtTheKitInsideTheWorkingDirectory()
    {
        var prompt = _renderer.RenderTaskPrompt(TaskCatalog.Builtin.GetTask("llm_merging"), Context);

        Assert.That(prompt, Does.Contain(Path.Combine(WorkDir, "llm_merging") + "/merging/average.py"));
        Assert.That(prompt, Does.Contain("A merged Hugging Face model that performs as well as possible on MMLU."));
    }

    private static IEnumerable<TestCaseData> AllTasks() =>
        TaskCatalog.Builtin.Tasks.Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    // {{x}}, ${x}, {your ...}, {identifier}: template syntaxes that must never reach the model.
    [GeneratedRegex(@"\{\{|\}\}|\$\{|\{\s*your\b|\{[A-Za-z_][A-Za-z0-9_ .:]*\}", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();
}
