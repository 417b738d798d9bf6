using System.Diagnostics;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Testing;
using Mlrb.Tools.Processes;

namespace Mlrb.Tools.Tests.Processes;

public class RunBashToolTests
{
    public static IEnumerable<SandboxMode> Modes => [SandboxMode.None, SandboxMode.Bubblewrap];

    private static ToolHarness Harness(SandboxMode mode, Action<MlrbToolsOptions>? more = null, DateTimeOffset? deadline = null)
    {
        if (mode == SandboxMode.Bubblewrap && Bubblewrap.Path is null)
        {
            Assert.Ignore("bubblewrap is not usable on this machine: " + Bubblewrap.ProbeFailure);
        }

        return new ToolHarness(o => { o.Sandbox = mode; more?.Invoke(o); }, deadline);
    }

    [TestCaseSource(nameof(Modes))]
    public async Task Script_RunsInTheWorkspace_AndReportsStdoutStderrAndExitCode(SandboxMode mode)
    {
        using var h = Harness(mode);
        var r = await h.InvokeAsync("run_bash", new { script = "pwd; echo out; echo err >&2; echo $HOME" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.ExitCode, Is.EqualTo(0));
        var root = new Mlrb.Tools.Workspace.WorkspaceGuard(h.Workspace).Root;
        Assert.That(r.Stdout, Is.EqualTo($"{root}\nout\n{root}\n"));
        Assert.That(r.Stderr, Is.EqualTo("err\n"));
        Assert.That(r.LogPath, Does.StartWith(".mlrb/logs/"));
        Assert.That(File.ReadAllText(h.PathOf(r.LogPath!)), Does.Contain("out").And.Contain("err"));
    }

    [TestCaseSource(nameof(Modes))]
    public async Task NonZeroExit_IsAFailure_WithTheExitCode(SandboxMode mode)
    {
        using var h = Harness(mode);
        var r = await h.InvokeAsync("run_bash", new { script = "echo nope >&2; exit 3" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.ExitCode, Is.EqualTo(3));
        Assert.That(r.ToModelText(), Does.Contain("exit code 3").And.Contain("nope"));
    }

    [TestCaseSource(nameof(Modes))]
    public async Task Secrets_InTheParentEnvironment_AreInvisibleToTheChild(SandboxMode mode)
    {
        string[] names = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GITHUB_TOKEN", "OPENAI", "ANTHROPIC", "HF_TOKEN"];
        foreach (var n in names)
        {
            Environment.SetEnvironmentVariable(n, "sk-leak-" + n);
        }

        try
        {
            using var h = Harness(mode);
            var r = await h.InvokeAsync("run_bash", new { script = "env; cat /proc/self/environ | tr '\\0' '\\n'" });
            Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
            Assert.That(r.Stdout, Does.Contain("PATH="), "the dump ran");
            Assert.That(r.Stdout, Does.Not.Contain("sk-leak-"));
            foreach (var n in names)
            {
                Assert.That(r.Stdout, Does.Not.Contain(n + "="));
            }
        }
        finally
        {
            foreach (var n in names)
            {
                Environment.SetEnvironmentVariable(n, null);
            }
        }
    }

    [TestCaseSource(nameof(Modes))]
    public async Task Timeout_KillsTheScriptAndTheChildItStarted(SandboxMode mode)
    {
        using var h = Harness(mode);
        var sleep = ProcessTable.UniqueSleep();
        var watch = Stopwatch.StartNew();
        var call = h.InvokeAsync("run_bash", new { script = $"sleep {sleep} & echo started; sleep {sleep}; echo never", timeout_seconds = 3 });

        // While it runs: the bash script (its command line holds the marker) and both sleeps are alive.
        var seen = 0;
        while (!call.IsCompleted && seen < 3)
        {
            seen = ProcessTable.LiveWithMarker(sleep).Count(pid => File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep", StringComparison.Ordinal)
                                                                   || File.ReadAllText($"/proc/{pid}/cmdline").Contains("bash", StringComparison.Ordinal));
            await Task.Delay(50);
        }

        var r = await call;
        watch.Stop();
        Assert.That(seen, Is.GreaterThanOrEqualTo(3), "bash and its two sleep children were running before the timeout");
        Assert.That(r.Status, Is.EqualTo(ToolStatus.TimedOut));
        Assert.That(r.Stdout, Does.Contain("started").And.Not.Contain("never"));
        Assert.That(r.Stderr, Does.Contain("timed out after 3 s"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        Assert.That(await ProcessTable.WaitGoneAsync(sleep, TimeSpan.FromSeconds(3)), Is.Empty, "no sleep survives the timeout");
    }

    [TestCaseSource(nameof(Modes))]
    public async Task BackgroundJobs_DoNotOutliveACompletedCall(SandboxMode mode)
    {
        using var h = Harness(mode);
        var sleep = ProcessTable.UniqueSleep();
        var r = await h.InvokeAsync("run_bash", new { script = $"(sleep {sleep} &) ; sleep {sleep} & echo bg", timeout_seconds = 60 });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(await ProcessTable.WaitGoneAsync(sleep, TimeSpan.FromSeconds(3)), Is.Empty);
    }

    [Test]
    public async Task Cancellation_KillsTheProcessGroup()
    {
        using var h = Harness(SandboxMode.None);
        var sleep = ProcessTable.UniqueSleep();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var r = await h.InvokeAsync("run_bash", new { script = $"sleep {sleep} & sleep {sleep}" }, cts.Token);
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("cancelled"));
        Assert.That(await ProcessTable.WaitGoneAsync(sleep, TimeSpan.FromSeconds(3)), Is.Empty);
    }

    [Test]
    public async Task Timeout_NeverGoesBeyondTheRunsRemainingBudget()
    {
        using var h = Harness(SandboxMode.None, deadline: DateTimeOffset.UtcNow.AddSeconds(1.5));
        var watch = Stopwatch.StartNew();
        var r = await h.InvokeAsync("run_bash", new { script = "sleep 30", timeout_seconds = 600 });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.TimedOut));
        Assert.That(r.Stderr, Does.Contain("remaining time budget"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task ExhaustedBudget_StartsNothing()
    {
        using var h = Harness(SandboxMode.None, deadline: DateTimeOffset.UtcNow.AddSeconds(-1));
        var r = await h.InvokeAsync("run_bash", new { script = "touch should-not-exist" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.TimedOut));
        Assert.That(r.Stderr, Does.Contain("budget is exhausted"));
        Assert.That(File.Exists(h.PathOf("should-not-exist")), Is.False);
    }

    [Test]
    public async Task TimeoutAboveTheMaximum_IsRejectedBySchema()
    {
        using var h = Harness(SandboxMode.None, o => o.MaxProcessTimeout = TimeSpan.FromMinutes(20));
        var r = await h.InvokeAsync("run_bash", new { script = "true", timeout_seconds = 3600 });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("'timeout_seconds' must be between 1 and 1200"));
    }

    [TestCaseSource(nameof(Modes))]
    public async Task SeveralMegabytesOfOutput_AreCappedHeadAndTail_AndFullyLogged(SandboxMode mode)
    {
        using var h = Harness(mode, o => o.MaxOutputChars = 4000);
        var script = "echo FIRST-LINE; for i in $(seq 1 60000); do echo \"line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"; done; echo LAST-LINE";
        var r = await h.InvokeAsync("run_bash", new { script, timeout_seconds = 120 });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Truncated, Is.True);
        Assert.That(r.Stdout.Length, Is.LessThan(4300));
        Assert.That(r.Stdout, Does.StartWith("FIRST-LINE\n").And.EndWith("LAST-LINE\n"));
        Assert.That(r.Stdout, Does.Match(@"\[\.\.\. \d+ bytes \(\d+ lines\) cut from the middle; full output in \.mlrb/logs/"));
        var log = new FileInfo(h.PathOf(r.LogPath!));
        Assert.That(log.Length, Is.GreaterThan(4_000_000));
        Assert.That(r.ToModelText().Length, Is.LessThanOrEqualTo(ToolResult.DefaultModelTextChars));
    }

    [Test]
    public async Task WithBubblewrap_WritesOutsideTheWorkspaceFail_AndInsideSucceed()
    {
        using var h = Harness(SandboxMode.Bubblewrap);
        // A host folder that is writable to this test but outside the workspace and outside /tmp.
        // (The sandbox's /tmp is private, so a folder under the host's /tmp would not even be visible inside it: when the
        // test binaries live under /tmp, use the home folder instead.)
        var hostRoot = AppContext.BaseDirectory.StartsWith("/tmp/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)
            : AppContext.BaseDirectory;
        var outside = Path.Combine(hostRoot, "sandbox-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            var r = await h.InvokeAsync("run_bash", new { script = $"echo inside > inside.txt && echo ok; echo outside > {outside}/escaped.txt" });
            Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
            Assert.That(r.Stderr, Does.Contain("Read-only file system"));
            Assert.That(File.Exists(Path.Combine(outside, "escaped.txt")), Is.False);
            Assert.That(File.ReadAllText(h.PathOf("inside.txt")), Is.EqualTo("inside\n"));
        }
        finally
        {
            Directory.Delete(outside, true);
        }
    }

    [Test]
    public async Task WithBubblewrap_TmpIsPrivate()
    {
        using var h = Harness(SandboxMode.Bubblewrap);
        var name = "mlrb-private-" + Guid.NewGuid().ToString("N");
        var r = await h.InvokeAsync("run_bash", new { script = $"echo x > /tmp/{name} && cat /tmp/{name}" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.Exists(Path.Combine("/tmp", name)), Is.False);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task WithBubblewrap_NetworkFollowsTheOption(bool allowNetwork)
    {
        using var h = Harness(SandboxMode.Bubblewrap, o => o.AllowNetwork = allowNetwork);
        await using var server = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, "pong", "text/plain"));
        var script = $"exec 3<>/dev/tcp/127.0.0.1/{server.BaseAddress.Port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3";
        var r = await h.InvokeAsync("run_bash", new { script, timeout_seconds = 30 });
        if (allowNetwork)
        {
            Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
            Assert.That(r.Stdout, Does.Contain("pong"));
        }
        else
        {
            Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
            Assert.That(r.Stdout, Does.Not.Contain("pong"));
            Assert.That(server.Requests, Is.Empty);
        }
    }

    [Test]
    public async Task RequiredSandbox_WhenMissing_FailsClearly_OrRunsWhenPresent()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.Bubblewrap);
        var r = await h.InvokeAsync("run_bash", new { script = "echo hi" });
        if (Bubblewrap.Path is null)
        {
            Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
            Assert.That(r.Stderr, Does.Contain("sandbox is required"));
        }
        else
        {
            Assert.That(r.Stdout, Is.EqualTo("hi\n"));
        }
    }

    [Test]
    public async Task NetworkOff_WithoutBubblewrap_RefusesToRunUnconfined()
    {
        using var h = Harness(SandboxMode.None, o => o.AllowNetwork = false);
        var r = await h.InvokeAsync("run_bash", new { script = "touch ran" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("only bubblewrap can enforce"));
        Assert.That(File.Exists(h.PathOf("ran")), Is.False);
    }

    [Test]
    public async Task MissingScript_AndWrongType_AreRefused()
    {
        using var h = Harness(SandboxMode.None);
        var missing = await h.InvokeAsync("run_bash", new { });
        Assert.That(missing.Stderr, Does.Contain("missing required argument 'script'"));
        var wrong = await h.InvokeAsync("run_bash", new { script = new[] { "ls" } });
        Assert.That(wrong.Stderr, Does.Contain("'script' must be a string, not an array"));
    }
}
