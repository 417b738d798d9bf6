using System.Diagnostics;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Testing;
using Mlrb.Tools.Processes;

namespace Mlrb.Tools.Tests.Processes;

/// <summary>Kernel-enforced limits on real processes: fork bombs, memory hogs, big files, CPU sets, a full workspace.</summary>
[NonParallelizable]
public class ProcessLimitsTests
{
    public static IEnumerable<SandboxMode> Modes => [SandboxMode.None, SandboxMode.Bubblewrap];

    private static ToolHarness Harness(SandboxMode mode, Action<ProcessLimits> limits)
    {
        if (mode == SandboxMode.Bubblewrap && Bubblewrap.Path is null)
        {
            Assert.Ignore("bubblewrap is not usable on this machine: " + Bubblewrap.ProbeFailure);
        }

        return new ToolHarness(o => { o.Sandbox = mode; limits(o.Limits); });
    }

    private static void Need(string controller)
    {
        if (!ControlGroups.Current.Has(controller))
        {
            Assert.Ignore($"no usable '{controller}' control group here (needs root or a delegated cgroup v2): {ControlGroups.Current.Failure}");
        }
    }

    [TestCaseSource(nameof(Modes))]
    public async Task ForkBomb_UnderPidsMax_EndsWithinItsTimeout_AndLeavesNoProcess(SandboxMode mode)
    {
        Need("pids");
        using var h = Harness(mode, l => l.MaxProcesses = 64);
        var marker = "forkbomb" + Guid.NewGuid().ToString("N")[..12];
        var watch = Stopwatch.StartNew();
        var r = await h.InvokeAsync("run_bash", new { script = $": {marker}; bomb() {{ bomb | bomb & }}; bomb; sleep 100", timeout_seconds = 3 });
        watch.Stop();
        TestContext.Out.WriteLine($"fork bomb ({mode}) ended after {watch.Elapsed.TotalSeconds:0.0} s: {r.Stderr[^Math.Min(300, r.Stderr.Length)..]}");
        Assert.That(r.Status, Is.EqualTo(ToolStatus.TimedOut), r.Stderr);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "the call ends soon after its 3 s timeout");
        Assert.That(r.Stderr, Does.Contain("process limit (pids.max 64) refused"));
        Assert.That(await ProcessTable.WaitGoneAsync(marker, TimeSpan.FromSeconds(3)), Is.Empty, "no fork-bomb process is left");
    }

    [TestCaseSource(nameof(Modes))]
    public async Task MemoryHog_IsKilledUnderTheMemoryLimit(SandboxMode mode)
    {
        Need("memory");
        using var h = Harness(mode, l => l.MemoryBytes = 96L * 1024 * 1024);
        var r = await h.InvokeAsync("run_bash", new { script = "echo start; x=$(head -c 400M /dev/zero | tr '\\0' a); echo survived ${#x}", timeout_seconds = 60 });
        Assert.That(r.Stdout, Does.Contain("start").And.Not.Contain("survived"));
        Assert.That(r.Stderr, Does.Contain("memory limit (100663296 bytes) was reached"), r.Stdout);
        var log = File.ReadAllText(h.PathOf(r.LogPath!));
        Assert.That(log, Does.StartWith("[mlrb] limits: cgroup v"));
        Assert.That(log, Does.Contain("100663296"));
    }

    [Test]
    public async Task SetsidAndDoubleForkedChildren_DoNotOutliveTheCall_UnderAControlGroup()
    {
        Need("pids");
        using var h = Harness(SandboxMode.None, _ => { });
        var sleep = ProcessTable.UniqueSleep();
        var r = await h.InvokeAsync("run_bash", new { script = $"setsid sleep {sleep} & (setsid sh -c 'sleep {sleep} &' &); nohup sleep {sleep} >/dev/null 2>&1 & disown; echo left", timeout_seconds = 30 });
        Assert.That(r.Stdout, Does.Contain("left"), r.Stderr);
        Assert.That(await ProcessTable.WaitGoneAsync(sleep, TimeSpan.FromSeconds(3)), Is.Empty, "setsid, double fork and nohup are all killed");
    }

    [Test]
    public async Task WithoutAControlGroup_SetsidAndDoubleForkedChildren_AreFoundByTheirMarker()
    {
        ControlGroups.DisabledForTests = true;
        try
        {
            using var h = Harness(SandboxMode.None, _ => { });
            var sleep = ProcessTable.UniqueSleep();
            var r = await h.InvokeAsync("run_bash", new { script = $"setsid sleep {sleep} & (setsid sh -c 'sleep {sleep} &' &); echo left", timeout_seconds = 30 });
            Assert.That(r.Stdout, Does.Contain("left"), r.Stderr);
            Assert.That(File.ReadAllText(h.PathOf(r.LogPath!)), Does.Not.Contain("cgroup v"), "no control group was used");
            Assert.That(await ProcessTable.WaitGoneAsync(sleep, TimeSpan.FromSeconds(3)), Is.Empty, "setsid and double-forked children are killed");
        }
        finally
        {
            ControlGroups.DisabledForTests = false;
        }
    }

    [TestCaseSource(nameof(Modes))]
    public async Task FileSizeLimit_StopsABigWrite(SandboxMode mode)
    {
        using var h = Harness(mode, l => l.MaxFileSizeBytes = 1024 * 1024);
        var r = await h.InvokeAsync("run_bash", new { script = "head -c 5M /dev/zero > big.bin; echo rc=$?", timeout_seconds = 30 });
        Assert.That(r.Stdout, Does.Contain("rc=").And.Not.Contain("rc=0"), r.Stderr);
        Assert.That(new FileInfo(h.PathOf("big.bin")).Length, Is.LessThanOrEqualTo(1024 * 1024));
    }

    [Test]
    public async Task CpuSet_PinsTheProcesses()
    {
        using var h = Harness(SandboxMode.None, l => l.CpuSet = "0");
        var r = await h.InvokeAsync("run_bash", new { script = "grep Cpus_allowed_list /proc/self/status" });
        Assert.That(r.Stdout, Does.Match(@"Cpus_allowed_list:\s+0\n"), r.Stderr);
    }

    [Test]
    public async Task FullWorkspace_RefusesProcessesAndWrites_WithAClearError()
    {
        using var h = Harness(SandboxMode.None, l => l.MaxWorkspaceBytes = 1024 * 1024);
        var first = await h.InvokeAsync("run_bash", new { script = "head -c 2M /dev/zero > big.bin; echo done" });
        Assert.That(first.Stdout, Does.Contain("done"));
        Assert.That(first.Stderr, Does.Contain("over its limit of 1,048,576 bytes"));
        var second = await h.InvokeAsync("run_bash", new { script = "touch ran" });
        Assert.That(second.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(second.Stderr, Does.Contain("MaxWorkspaceBytes").And.Contain("No process was started"));
        Assert.That(File.Exists(h.PathOf("ran")), Is.False);
        var write = await h.InvokeAsync("write_code", new { path = "a.py", code = "print(1)\n" });
        Assert.That(write.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(write.Stderr, Does.Contain("Nothing was written"));
        File.Delete(h.PathOf("big.bin"));
        var third = await h.InvokeAsync("write_code", new { path = "a.py", code = "print(1)\n" });
        Assert.That(third.Status, Is.EqualTo(ToolStatus.Success), third.Stderr);
    }

    [Test]
    public void WithoutAControlGroup_RlimitsAreUsed_AndRootsProcessLimitIsReportedAsNotEnforced()
    {
        var none = ControlGroups.Probe(WriteTemp(""), WriteTemp(""));
        Assert.That(none.Version, Is.EqualTo(0));
        var limits = new ProcessLimits { MaxProcesses = 100, MemoryBytes = 1L << 30, MaxFileSizeBytes = 1 << 20 };
        var user = LimitShim.Prefix(limits, null, none, isRoot: false, () => 500, out var inForce, out var notEnforced);
        Assert.That(user.Skip(4).Take(3), Is.EqualTo(new[] { "2048", "1048576", "600" }), "file blocks of 512 bytes, address space in KiB, the user's tasks + the limit");
        Assert.That(inForce, Has.Some.Contains("RLIMIT_NPROC=600").And.Some.Contains("RLIMIT_AS").And.Some.Contains("RLIMIT_FSIZE"));
        Assert.That(notEnforced, Is.Empty);
        var root = LimitShim.Prefix(limits, null, none, isRoot: true, () => 500, out _, out notEnforced);
        Assert.That(root[6], Is.EqualTo("-"));
        Assert.That(notEnforced, Has.Some.Contains("RLIMIT_NPROC does not bind root"));
    }

    [Test]
    public void RlimitShim_RunsUnderDashAndBash_AndSetsTheLimits()
    {
        var none = ControlGroups.Probe(WriteTemp(""), WriteTemp(""));
        var limits = new ProcessLimits { MaxProcesses = 100, MemoryBytes = 1L << 30, MaxFileSizeBytes = 1 << 20 };
        var prefix = LimitShim.Prefix(limits, null, none, isRoot: false, () => 500, out _, out _);
        var info = new ProcessStartInfo(prefix[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in prefix.Skip(1).Concat(["/bin/sh", "-c", "ulimit -H -f; ulimit -H -v; ulimit -H -u 2>/dev/null || ulimit -H -p"]))
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        var errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), errors);
        Assert.That(errors, Is.Empty);
        Assert.That(output, Is.EqualTo("2048\n1048576\n600\n"));
    }

    [Test]
    public void Probe_FindsV1Controllers_AndV2WhenOnlyUnifiedIsMounted()
    {
        var root = TestPaths.CreateTempDirectory("fake-cgroup");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "pids", "a"));
            Directory.CreateDirectory(Path.Combine(root, "memory"));
            var mountInfo = WriteTemp(
                $"32 31 0:29 / {root}/pids rw,relatime - cgroup cgroup rw,pids\n" +
                $"33 31 0:30 / {root}/memory rw,relatime - cgroup cgroup rw,memory\n" +
                $"34 31 0:31 / {root}/unified rw,relatime - cgroup2 cgroup2 rw\n");
            var v1 = ControlGroups.Probe(mountInfo, WriteTemp("8:pids:/a\n4:memory:/\n0::/\n"));
            Assert.That(v1.Version, Is.EqualTo(1));
            Assert.That(v1.Parents["pids"], Is.EqualTo(Path.Combine(root, "pids", "a")));
            Assert.That(v1.Has("memory"), Is.True);
            Assert.That(v1.Has("cpuset"), Is.False);

            var unified = Path.Combine(root, "unified");
            Directory.CreateDirectory(unified);
            File.WriteAllText(Path.Combine(unified, "cgroup.controllers"), "cpuset cpu io memory pids\n");
            File.WriteAllText(Path.Combine(unified, "cgroup.procs"), "");
            File.WriteAllText(Path.Combine(unified, "cgroup.subtree_control"), "");
            var v2 = ControlGroups.Probe(WriteTemp($"34 31 0:31 / {unified} rw,relatime - cgroup2 cgroup2 rw\n"), WriteTemp("0::/\n"));
            Assert.That(v2.Version, Is.EqualTo(2), v2.Failure);
            Assert.That(Directory.Exists(Path.Combine(unified, "mlrb-server")), Is.True, "this process's leaf group");
            Assert.That(File.ReadAllText(Path.Combine(unified, "cgroup.subtree_control")), Is.EqualTo("+pids +memory +cpuset"));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private static string WriteTemp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "mlrb-probe-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        return path;
    }
}
