using Microsoft.Extensions.DependencyInjection;
using Mlrb.Testing;
using Mlrb.Tools.Probing;

namespace Mlrb.Tools.Tests.Probing;

/// <summary>The probe runs a real interpreter (or a fake one) through the real process sandbox.</summary>
public class AgentEnvironmentProbeTests
{
    private string _workspace = null!;
    private string _bin = null!;

    [SetUp]
    public void SetUp()
    {
        _workspace = TestPaths.CreateTempDirectory("mlrb-probe-ws");
        _bin = TestPaths.CreateTempDirectory("mlrb-probe-bin");
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_workspace, recursive: true);
        Directory.Delete(_bin, recursive: true);
    }

    private static IAgentEnvironmentProbe Probe(string? python = null) =>
        new ServiceCollection().AddMlrbTools(o =>
        {
            o.Sandbox = SandboxMode.Auto;
            if (python is not null)
            {
                o.PythonExecutable = python;
            }
        }).BuildServiceProvider().GetRequiredService<IAgentEnvironmentProbe>();

    private ToolContext Context => new() { WorkspacePath = _workspace, RunId = "probe" };

    private string FakePython(string body)
    {
        // Inside the workspace: the sandbox hides the host's /tmp, where test folders live.
        var path = Path.Combine(_workspace, ".venv", "bin", "python");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Test]
    public async Task RealPython_ReportsWhatImports_WithVersions_AndWhatDoesNot()
    {
        // A package in the workspace imports (the sandbox's working directory is on sys.path for python -c).
        Directory.CreateDirectory(Path.Combine(_workspace, "mlrb_fake_pkg"));
        File.WriteAllText(Path.Combine(_workspace, "mlrb_fake_pkg", "__init__.py"), "__version__ = '1.2.3'\n");

        var python = await Probe().ProbePythonAsync(Context, ["mlrb_fake_pkg", "json", "mlrb_no_such_package", "bad name; rm -rf /"]);

        Assert.That(python.Error, Is.Null);
        Assert.That(python.Version, Does.Match(@"^3\.\d+\.\d+"));
        Assert.That(python.ResolvedExecutable, Is.Not.Null.And.Not.Empty);
        Assert.That(python.Packages, Is.EquivalentTo(new Dictionary<string, string?> { ["mlrb_fake_pkg"] = "1.2.3", ["json"] = "2.0.9", ["mlrb_no_such_package"] = null })
            .Or.EquivalentTo(new Dictionary<string, string?> { ["mlrb_fake_pkg"] = "1.2.3", ["json"] = "", ["mlrb_no_such_package"] = null }),
            "names that are not module names are never passed to Python");
        Assert.That(python.GpuVisible, Is.Null, "torch was not probed");
        Assert.That(python.LimitsInForce, Does.Contain("GPUs ").And.Contain("bubblewrap"), "the run records the limits its processes ran under");
    }

    [Test]
    public async Task FakeInterpreter_GpuAndVersionsAreRead()
    {
        var fake = FakePython("echo 'loading...'\necho 'MLRB_PROBE {\"version\": \"3.12.1\", \"executable\": \"/venv/bin/python\", \"packages\": {\"torch\": \"2.4.0\", \"numpy\": null}, \"gpu_visible\": true, \"gpu_devices\": [\"NVIDIA H200\"]}'");

        var python = await Probe(fake).ProbePythonAsync(Context, ["torch", "numpy", "transformers"]);

        Assert.That(python.Error, Is.Null);
        Assert.That((python.Version, python.ResolvedExecutable, python.Executable), Is.EqualTo(("3.12.1", "/venv/bin/python", fake)));
        Assert.That(python.Packages["torch"], Is.EqualTo("2.4.0"));
        Assert.That(python.Packages["numpy"], Is.Null);
        Assert.That(python.Packages["transformers"], Is.Null, "a package the output does not mention counts as missing");
        Assert.That(python.GpuVisible, Is.True);
        Assert.That(python.GpuDevices, Is.EqualTo(new[] { "NVIDIA H200" }));
        Assert.That(python.Missing(["torch", "transformers"]), Is.EqualTo(new[] { "transformers" }));
    }

    [Test]
    public async Task MissingInterpreter_IsAnError_NotAnException()
    {
        var python = await Probe(Path.Combine(_bin, "no-python-here")).ProbePythonAsync(Context, ["numpy"]);
        Assert.That(python.Error, Does.Contain("not found"));
        Assert.That(python.Version, Is.Null);
        Assert.That(python.Packages["numpy"], Is.Null);
    }

    [Test]
    public async Task CrashingInterpreter_ReportsItsStderr()
    {
        var python = await Probe(FakePython("echo 'boom: broken install' >&2\nexit 4")).ProbePythonAsync(Context, ["numpy"]);
        Assert.That(python.Error, Does.Contain("exited with code 4").And.Contain("boom: broken install"));
    }

    [Test]
    public async Task HangingInterpreter_IsKilledAtTheTimeout()
    {
        var fake = FakePython("sleep 60");
        var services = new ServiceCollection().AddMlrbTools(o => o.PythonExecutable = fake).BuildServiceProvider();
        var probe = new AgentEnvironmentProbe(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MlrbToolsOptions>>()) { Timeout = TimeSpan.FromSeconds(1) };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var python = await probe.ProbePythonAsync(Context, ["numpy"]);

        Assert.That(python.Error, Does.Contain("did not finish"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Sandbox_IsDescribed()
    {
        var none = new ServiceCollection().AddMlrbTools(o => o.Sandbox = SandboxMode.None).BuildServiceProvider().GetRequiredService<IAgentEnvironmentProbe>();
        Assert.That(none.DescribeSandbox(), Is.EqualTo("none (Sandbox = None)"));
        Assert.That(Probe().DescribeSandbox(), Is.EqualTo("bubblewrap").Or.StartWith("none (bubblewrap unusable:"));
    }
}
