using System.Text.Json;
using Mlrb.Cli.Commands.Run;
using Mlrb.Tasks.Provenance;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Run;

/// <summary>
/// <c>mlrb run --python</c>: the agent's interpreter is probed through the sandbox at start, the prompt lists what it
/// can import, a warning names what the task needs and is missing, and the environment is stored with the run.
/// </summary>
[NonParallelizable]
public class RunEnvironmentRecorderTests
{
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot, "samples", "replay", "tiny-baby-lm.jsonl");

    private string _dir = null!;
    private string _bin = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = TestPaths.CreateTempDirectory("mlrb-cli-env");

        // Beside the test binaries, not under /tmp: the sandbox hides the host's /tmp.
        _bin = Path.Combine(AppContext.BaseDirectory, "fake-python-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_bin);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_bin, recursive: true);
    }

    /// <summary>An interpreter that answers the probe with torch 2.4.0 and numpy 1.26.4 (nothing else) and runs scripts with the real python3.</summary>
    private string FakePython()
    {
        var path = Path.Combine(_bin, "python");
        File.WriteAllText(path, """
            #!/bin/sh
            if [ "$1" = "-c" ]; then
              echo 'MLRB_PROBE {"version": "3.12.1", "executable": "/venv/bin/python", "packages": {"torch": "2.4.0", "numpy": "1.26.4"}, "gpu_visible": false, "gpu_devices": []}'
              exit 0
            fi
            exec python3 "$@"
            """.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Test]
    public async Task Run_ProbesThePython_TellsTheAgentTheTruth_WarnsOnce_AndStoresTheEnvironment()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("a shell script stands in for the interpreter");
        }

        var python = FakePython();
        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "replay", "--transcript", Script, "--workdir", _dir, "--run-id", "env1", "--python", python, "--no-eval");
        var code = await cli.WaitAsync(TimeSpan.FromMinutes(2));
        var stderr = cli.Stderr;

        Assert.That(code, Is.Zero, stderr);
        var warnings = stderr.Split('\n').Where(l => l.Contains("warning:", StringComparison.Ordinal)).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), stderr);
        Assert.That(warnings[0], Does.Contain("cannot import: transformers, datasets").And.Contain(python));

        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(_dir, "mlrb.db"));
        var run = await store.GetRunAsync("env1");
        var env = RunEnvironment.FromJson(run!.EnvironmentJson!);
        Assert.That(env.Python!.Executable, Is.EqualTo(python));
        Assert.That(env.Python.Version, Is.EqualTo("3.12.1"));
        Assert.That(env.Python.Packages["torch"], Is.EqualTo("2.4.0"));
        Assert.That(env.Python.Packages["transformers"], Is.Null);
        Assert.That(env.Python.GpuVisible, Is.False);
        Assert.That(env.CpuCores, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(env.Sandbox, Is.Not.Null.And.Not.Empty);
        Assert.That(env.DotNet, Does.StartWith(".NET"));

        using var metadata = JsonDocument.Parse(run.MetadataJson!);
        var prompt = metadata.RootElement.GetProperty("taskPrompt").GetString()!;
        var installed = prompt.Split('\n').Single(l => l.Contains("Already installed:", StringComparison.Ordinal));
        Assert.That(installed, Does.Contain("Already installed: numpy 1.26.4, torch 2.4.0."));
        Assert.That(installed, Does.Not.Contain("transformers").And.Not.Contain("pandas"));

        Assert.That(File.Exists(Path.Combine(_dir, "env1", "model", "model.safetensors")), Is.True, "run_python ran the script with the chosen interpreter");
    }

    [Test]
    public async Task Python_ThatDoesNotExist_IsRefusedBeforeTheRun()
    {
        using var cli = new CliProcess("run", "mini_baby_lm", "--provider", "replay", "--transcript", Script, "--workdir", _dir, "--python", Path.Combine(_bin, "nope", "python"));
        var code = await cli.WaitAsync(TimeSpan.FromMinutes(1));
        var stderr = cli.Stderr;
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--python:").And.Contain("does not exist"));
        Assert.That(File.Exists(Path.Combine(_dir, "mlrb.db")), Is.False);
    }

    [Test]
    public void Locator_VirtualEnvironmentFolder_NameOnPath_AndAFolderThatIsNoVenv()
    {
        var venv = Path.Combine(_dir, "venv");
        Directory.CreateDirectory(Path.Combine(venv, "bin"));
        Assert.That(PythonLocator.TryResolve(venv, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("not a virtual environment"));

        File.WriteAllText(Path.Combine(venv, "bin", "python3"), "");
        Assert.That(PythonLocator.TryResolve(venv, out var executable, out _), Is.True);
        Assert.That(executable, Is.EqualTo(Path.Combine(venv, "bin", "python3")));

        Assert.That(PythonLocator.TryResolve("python3.11", out var name, out _), Is.True);
        Assert.That(name, Is.EqualTo("python3.11"), "a bare name is looked up on PATH when used");
    }
}
