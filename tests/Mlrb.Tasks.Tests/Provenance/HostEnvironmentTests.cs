using System.Diagnostics;
using Mlrb.Tasks.Provenance;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Provenance;

public class HostEnvironmentTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-host-env");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void NvidiaSmiCsv_OneGpuPerLine_MemoryAndDriver()
    {
        var gpus = HostEnvironment.ParseNvidiaSmi("NVIDIA H200, 143771, 550.54.15\nNVIDIA A100-SXM4-40GB, 40960, 535.104.05\n\n");
        Assert.That(gpus, Is.EqualTo(new[]
        {
            new GpuInfo { Name = "NVIDIA H200", MemoryMiB = 143771, Driver = "550.54.15" },
            new GpuInfo { Name = "NVIDIA A100-SXM4-40GB", MemoryMiB = 40960, Driver = "535.104.05" },
        }));
        Assert.That(HostEnvironment.ParseNvidiaSmi("Tesla T4, [N/A], 470.1")[0].MemoryMiB, Is.Null);
        Assert.That(HostEnvironment.ParseNvidiaSmi(""), Is.Empty);
    }

    [Test]
    public void ProcFiles_CpuModelMemoryAndOsName()
    {
        Assert.That(HostEnvironment.ParseCpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7763 64-Core Processor\nmodel name\t: other\n"), Is.EqualTo("AMD EPYC 7763 64-Core Processor"));
        Assert.That(HostEnvironment.ParseCpuModel("processor : 0\n"), Is.Null);
        Assert.That(HostEnvironment.ParseMemTotal("MemTotal:       24683584 kB\nMemFree:         1000 kB\n"), Is.EqualTo(24683584L * 1024));
        Assert.That(HostEnvironment.ParseOsRelease("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"), Is.EqualTo("Debian GNU/Linux 12 (bookworm)"));
    }

    [Test]
    public async Task Capture_WithAFakeNvidiaSmi_RecordsItsGpus_AndTheRuntime()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("uses a shell script as nvidia-smi");
            return;
        }

        var smi = Path.Combine(_dir, "nvidia-smi");
        await File.WriteAllTextAsync(smi, "#!/bin/sh\n[ \"$1\" = \"--query-gpu=name,memory.total,driver_version\" ] || exit 3\necho 'NVIDIA H200, 143771, 550.54.15'\n");
        File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var env = await HostEnvironment.CaptureAsync(null, smi, CancellationToken.None);

        Assert.That(env.Gpus, Is.EqualTo(new[] { new GpuInfo { Name = "NVIDIA H200", MemoryMiB = 143771, Driver = "550.54.15" } }));
        Assert.That(env.CpuCores, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(env.DotNet, Does.StartWith(".NET"));
        Assert.That(env.Mlrb, Does.StartWith("0."));
        Assert.That(env.MemoryBytes, Is.GreaterThan(0));
        Assert.That(env.Os, Is.Not.Empty);
        Assert.That(env.Git, Is.Null, "no folder given");
    }

    [Test]
    public async Task Capture_WithoutNvidiaSmi_HasNoGpus_AndNoError()
    {
        var env = await HostEnvironment.CaptureAsync(null, Path.Combine(_dir, "no-such-nvidia-smi"), CancellationToken.None);
        Assert.That(env.Gpus, Is.Empty);
    }

    [Test]
    public async Task Capture_FailingNvidiaSmi_HasNoGpus()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("uses a shell script as nvidia-smi");
            return;
        }

        var smi = Path.Combine(_dir, "nvidia-smi");
        await File.WriteAllTextAsync(smi, "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'\nexit 9\n");
        File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = await HostEnvironment.CaptureAsync(null, smi, CancellationToken.None);
        Assert.That(env.Gpus, Is.Empty);
    }

    [Test]
    public async Task Git_CommitAndDirtyState_OfAWorkspaceThatIsARepository()
    {
        if (!HasGit())
        {
            Assert.Ignore("git is not installed");
        }

        var repo = Path.Combine(_dir, "ws");
        Directory.CreateDirectory(repo);
        Assert.That(await HostEnvironment.CaptureAsync(repo), Has.Property(nameof(RunEnvironment.Git)).Null, "a plain folder is no repository");

        Git(repo, "init", "-q");
        await File.WriteAllTextAsync(Path.Combine(repo, "train.py"), "print(1)\n");
        Git(repo, "add", "train.py");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
        var head = Git(repo, "rev-parse", "HEAD").Trim();

        var clean = (await HostEnvironment.CaptureAsync(repo)).Git;
        Assert.That(clean, Is.Not.Null);
        Assert.That(clean!.Commit, Is.EqualTo(head));
        Assert.That(clean.Dirty, Is.False);
        Assert.That(Path.GetFullPath(clean.Root), Is.EqualTo(Path.GetFullPath(repo)));

        await File.WriteAllTextAsync(Path.Combine(repo, "train.py"), "print(2)\n");
        Assert.That((await HostEnvironment.CaptureAsync(repo)).Git!.Dirty, Is.True);
    }

    [Test]
    public void Json_RoundTrips()
    {
        var env = new RunEnvironment
        {
            CapturedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            Cpu = "cpu",
            CpuCores = 16,
            MemoryBytes = 1L << 37,
            Gpus = [new GpuInfo { Name = "NVIDIA H200", MemoryMiB = 143771, Driver = "550" }],
            Os = "Linux",
            Architecture = "X64",
            DotNet = ".NET 10.0.0",
            Mlrb = "0.1.0",
            Git = new GitState { Root = "/w", Commit = "abc", Dirty = true },
            Sandbox = "bubblewrap",
            Python = new PythonEnvironment { Executable = "python3", Version = "3.11.2", Packages = new Dictionary<string, string?> { ["torch"] = "2.4.0", ["peft"] = null }, GpuVisible = true, GpuDevices = ["NVIDIA H200"] },
        };
        var json = env.ToJson();
        Assert.That(json, Does.Contain("\"cpu_cores\":16").And.Contain("\"dotnet\":\".NET 10.0.0\"").And.Contain("\"memory_mib\":143771"));
        var back = RunEnvironment.FromJson(json);
        Assert.That(back.Python!.Packages, Is.EquivalentTo(env.Python.Packages));
        Assert.That(back with { Gpus = env.Gpus, Python = env.Python }, Is.EqualTo(env));
        Assert.That(back.Gpus, Is.EqualTo(env.Gpus));
    }

    private static bool HasGit()
    {
        try
        {
            Git(Path.GetTempPath(), "--version");
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string Git(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"git {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
