using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Tests.Processes;

public class RunPythonToolTests
{
    private ToolHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new ToolHarness(o => o.Sandbox = SandboxMode.Auto);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task File_RunsWithPython_AndPrintsItsOutput()
    {
        File.WriteAllText(_h.PathOf("hello.py"), "import sys\nprint(sum(range(10)))\nprint('warn', file=sys.stderr)\n");
        var r = await _h.InvokeAsync("run_python", new { filepath = "hello.py" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo("45\n"));
        Assert.That(r.Stderr, Is.EqualTo("warn\n"));
    }

    [Test]
    public async Task InlineCode_IsSavedAndRun()
    {
        var r = await _h.InvokeAsync("run_python", new { code = "import os\nprint(os.getcwd() == os.environ['HOME'])" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo("True\n"));
        Assert.That(Directory.GetFiles(_h.PathOf(".mlrb/logs/snippets"), "*.py"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Exception_IsAFailure_WithTheTraceback()
    {
        var r = await _h.InvokeAsync("run_python", new { code = "raise ValueError('bad lr')" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("ValueError: bad lr"));
    }

    [Test]
    public async Task MissingFile_FailsClearly()
    {
        var r = await _h.InvokeAsync("run_python", new { filepath = "nope.py" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("'nope.py' does not exist"));
    }

    [Test]
    public async Task FileOutsideWorkspace_IsRefused()
    {
        var r = await _h.InvokeAsync("run_python", new { filepath = "../../x.py" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("outside the workspace"));
    }

    [Test]
    public async Task BothOrNeitherSource_AreRefused()
    {
        var both = await _h.InvokeAsync("run_python", new { filepath = "a.py", code = "print(1)" });
        Assert.That(both.Stderr, Does.Contain("exactly one of 'filepath'"));
        var neither = await _h.InvokeAsync("run_python", new { });
        Assert.That(neither.Stderr, Does.Contain("exactly one of 'filepath'"));
    }

    [Test]
    public async Task Timeout_KillsPython()
    {
        var r = await _h.InvokeAsync("run_python", new { code = "import time\nprint('begin', flush=True)\ntime.sleep(600)", timeout_seconds = 5 });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.TimedOut));
        Assert.That(r.Stdout, Does.Contain("begin"));
    }

    [Test]
    public async Task MissingInterpreter_FailsWithoutThrowing()
    {
        using var h = new ToolHarness(o => { o.Sandbox = SandboxMode.None; o.PythonExecutable = "/nonexistent/python-mlrb"; });
        var r = await h.InvokeAsync("run_python", new { code = "print(1)" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.ToModelText(), Does.Contain("python-mlrb"));
    }

    [Test]
    public async Task MissingInterpreter_IsAnInfrastructureFailure_ThatTheAIFunctionRaises()
    {
        using var harness = new ToolHarness(o => o.PythonExecutable = "/nonexistent/python3");

        var result = await harness.InvokeAsync("run_python", new { code = "print(1)" });

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.InfrastructureFailure, Is.True);
        Assert.That(result.Stderr, Does.Contain("/nonexistent/python3"));
        var function = harness["run_python"].AsAIFunction();
        var ex = await Assert.ThrowsAsync<Mlrb.Tasks.Runs.SandboxFailureException>(async () => await function.InvokeAsync(new Microsoft.Extensions.AI.AIFunctionArguments { ["code"] = "print(1)" }));
        Assert.That(ex!.Message, Does.Contain("/nonexistent/python3"));
    }

    [Test]
    public async Task FailingCode_IsTheAgentsFailure_NotTheInfrastructures()
    {
        using var harness = new ToolHarness();

        var result = await harness.InvokeAsync("run_python", new { code = "raise SystemExit(3)" });

        Assert.That((result.IsSuccess, result.InfrastructureFailure, result.ExitCode), Is.EqualTo((false, false, (int?)3)));
    }
}
