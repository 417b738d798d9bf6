using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools.Processes;

namespace Mlrb.Tools.Tests.Processes;

/// <summary>Attacks on the bubblewrap sandbox from inside a <c>run_bash</c> call, as root and as a normal user.</summary>
public class SandboxHardeningTests
{
    private static ToolHarness Sandboxed(Action<MlrbToolsOptions>? more = null)
    {
        if (Bubblewrap.Path is null)
        {
            Assert.Ignore("bubblewrap is not usable on this machine: " + Bubblewrap.ProbeFailure);
        }

        return new ToolHarness(o => { o.Sandbox = SandboxMode.Bubblewrap; more?.Invoke(o); });
    }

    /// <summary>A host folder writable to the test, outside the workspace and outside /tmp (private in the sandbox).</summary>
    private static string HostFolder()
    {
        var hostRoot = AppContext.BaseDirectory.StartsWith("/tmp/", StringComparison.Ordinal) || !Writable(AppContext.BaseDirectory)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)
            : AppContext.BaseDirectory;
        var outside = Path.Combine(hostRoot, "sandbox-attack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        return outside;
    }

    private static bool Writable(string dir)
    {
        try
        {
            var probe = Path.Combine(dir, "write-probe-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Test]
    public async Task Children_HaveNoCapabilities_AndNoNewPrivileges()
    {
        using var h = Sandboxed();
        var r = await h.InvokeAsync("run_bash", new { script = "grep -E '^(CapEff|CapPrm|CapAmb|NoNewPrivs):' /proc/self/status; bash -c \"grep '^CapEff:' /proc/self/status\"" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Does.Contain("CapEff:\t0000000000000000").And.Contain("CapPrm:\t0000000000000000").And.Contain("CapAmb:\t0000000000000000"));
        Assert.That(r.Stdout, Does.Contain("NoNewPrivs:\t1"));
        Assert.That(r.Stdout, Does.Not.Match(@"CapEff:\s+0*[1-9a-f]"), "a re-exec does not regain capabilities");
    }

    [Test]
    public async Task RemountingTheRootReadWrite_Fails_AndNothingReachesTheHost()
    {
        using var h = Sandboxed();
        var outside = HostFolder();
        try
        {
            var script = $"mount -o remount,bind,rw / ; echo mount=$?; mount -o remount,rw {outside}; mount -t tmpfs none {outside}; echo escaped > {outside}/escaped.txt; echo write=$?";
            var r = await h.InvokeAsync("run_bash", new { script });
            Assert.That(r.Stdout, Does.Contain("mount=").And.Not.Contain("mount=0"), "the remount is refused");
            Assert.That(r.Stdout, Does.Contain("write=").And.Not.Contain("write=0"), r.Stderr);
            Assert.That(File.Exists(Path.Combine(outside, "escaped.txt")), Is.False);
        }
        finally
        {
            Directory.Delete(outside, true);
        }
    }

    [Test]
    public async Task DevShm_IsPrivate_AndDevHoldsNoHostDevices()
    {
        using var h = Sandboxed(o => o.Limits.Gpus = "none");
        var name = "mlrb-shm-" + Guid.NewGuid().ToString("N");
        var r = await h.InvokeAsync("run_bash", new { script = $"echo secret > /dev/shm/{name} && cat /dev/shm/{name}; find /dev -type b | wc -l; ls /dev" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Does.StartWith("secret\n0\n"), "writable inside, and no block device in /dev");
        Assert.That(r.Stdout, Does.Contain("null").And.Contain("urandom").And.Not.Contain("nvidia"));
        Assert.That(File.Exists(Path.Combine("/dev/shm", name)), Is.False, "the write did not reach the host's /dev/shm");
    }

    [Test]
    public async Task HostProcesses_AreInvisible_AndKillingThemFails()
    {
        using var h = Sandboxed();
        var r = await h.InvokeAsync("run_bash", new { script = $"ls /proc | grep -c '^[0-9]'; kill -0 {Environment.ProcessId} && echo reached" });
        Assert.That(r.Stdout, Does.Not.Contain("reached"));
        Assert.That(int.Parse(r.Stdout.Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(10), "only the sandbox's own processes are in /proc");
    }

    [Test]
    public void GpuSelection_BindsOnlyTheRequestedNodes()
    {
        var dev = Mlrb.Testing.TestPaths.CreateTempDirectory("fake-dev");
        try
        {
            foreach (var n in new[] { "nvidia0", "nvidia1", "nvidia2", "nvidiactl", "nvidia-uvm", "sda", "nvidia-foo" })
            {
                File.WriteAllText(Path.Combine(dev, n), "");
            }

            Assert.That(GpuSelection.DeviceNodes("none", dev), Is.Empty);
            Assert.That(GpuSelection.DeviceNodes("all", dev).Select(Path.GetFileName), Is.EquivalentTo(new[] { "nvidia0", "nvidia1", "nvidia2", "nvidiactl", "nvidia-uvm" }));
            Assert.That(GpuSelection.DeviceNodes("0,2", dev).Select(Path.GetFileName), Is.EquivalentTo(new[] { "nvidia0", "nvidia2", "nvidiactl", "nvidia-uvm" }));
            Assert.That(GpuSelection.DeviceNodes("7", dev), Is.Empty, "a GPU that does not exist brings no control node either");
            Assert.That(GpuSelection.VisibleDevices("none"), Is.EqualTo(""));
            Assert.That(GpuSelection.VisibleDevices("0,2"), Is.EqualTo("0,2"));
            Assert.That(GpuSelection.VisibleDevices("all"), Is.Null);
            Assert.That(GpuSelection.IsValid("0,x"), Is.False);
        }
        finally
        {
            Directory.Delete(dev, true);
        }
    }

    [Test]
    public async Task GpusNone_HidesCudaDevices_InEveryMode()
    {
        using var h = new ToolHarness(o => { o.Sandbox = SandboxMode.None; o.Limits.Gpus = "none"; });
        var r = await h.InvokeAsync("run_bash", new { script = "echo \"[$CUDA_VISIBLE_DEVICES]\"; env | grep -c '^CUDA_VISIBLE_DEVICES='" });
        Assert.That(r.Stdout, Is.EqualTo("[]\n1\n"));
    }
}
