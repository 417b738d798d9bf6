using System.CommandLine;
using System.Diagnostics;
using k8s;
using k8s.Models;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Bench;

/// <summary><c>mlrb bench … --emit slurm|k8s DIR</c>: typed manifests, golden files, no secrets, scripts that run.</summary>
[NonParallelizable]
public class ClusterEmitTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Bench", "Golden");

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-emit");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string EmitK8s(params string[] extra)
    {
        var (code, _, err) = CliInvoker.Run(
        [
            "bench", "mini_baby_lm", "mini_pile", "--runs", "3", "--parallel", "2", "--provider", "openai", "--model", "gpt-4o", "--label", "base",
            "--time-limit", "3h", "--eval-allowance", "30m", "--emit", "k8s", _dir, "--image", "registry.example/mlrb:0.9", "--job-name", "mlrb-bench-golden",
            .. extra,
        ]);
        Assert.That(code, Is.Zero, err);
        return File.ReadAllText(Path.Combine(_dir, "mlrb-bench-job.yaml"));
    }

    [TestCase("k8s", "mlrb-bench-a-name-that-is-far-too-long-for-a-kubernetes-label-x", "at most 57")]
    [TestCase("k8s", "Mlrb_Bench", "lowercase letters, digits and '-'")]
    [TestCase("k8s", "-mlrb", "starting and ending")]
    [TestCase("slurm", "bench; rm -rf ~", "letters, digits")]
    [TestCase("slurm", "it's", "letters, digits")]
    public void JobName_ThatTheClusterOrTheScriptsCannotTake_IsRefusedWithOneLine(string kind, string name, string expected)
    {
        string[] extra = kind == "k8s" ? ["--image", "registry.example/mlrb:0.9"] : [];
        var (code, _, err) = CliInvoker.Run(
        [
            "bench", "mini_baby_lm", "--runs", "1", "--provider", "openai", "--emit", kind, _dir, "--job-name", name, .. extra,
        ]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--job-name").And.Contain(expected));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.EnumerateFileSystemEntries(_dir), Is.Empty, "nothing is written");
    }

    [Test]
    public void JobName_OfExactly57Characters_IsAcceptedForKubernetes()
    {
        var name = "mlrb-" + new string('b', 52);
        Assert.That(name, Has.Length.EqualTo(57));

        var (code, _, err) = CliInvoker.Run(
        [
            "bench", "mini_baby_lm", "--runs", "1", "--provider", "openai", "--emit", "k8s", _dir, "--image", "registry.example/mlrb:0.9", "--job-name", name,
        ]);

        Assert.That(code, Is.Zero, err);
        Assert.That(KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(Path.Combine(_dir, "mlrb-bench-job.yaml"))).Metadata.Name, Is.EqualTo(name));
    }

    [Test]
    public void K8s_Manifest_MatchesTheGoldenFile_AndRoundTripsThroughTheTypes()
    {
        var yaml = EmitK8s();

        Assert.That(yaml, Is.EqualTo(File.ReadAllText(Path.Combine(Golden, "bench-k8s.yaml"))));
        var job = KubernetesYaml.Deserialize<V1Job>(yaml);
        Assert.That(KubernetesYaml.Serialize(job), Is.EqualTo(yaml));
    }

    [Test]
    public void K8s_Job_HasOneIndexPerRun_GpuLimits_AndDeadlinesFromTheBudget()
    {
        var job = KubernetesYaml.Deserialize<V1Job>(EmitK8s("--job-gpus", "2", "--workspace-claim", "mlrb-workspaces"));

        Assert.That((job.Spec.CompletionMode, job.Spec.Completions, job.Spec.Parallelism), Is.EqualTo(("Indexed", (int?)6, (int?)2)));
        Assert.That(job.Spec.BackoffLimitPerIndex, Is.Zero, "a failed run is a result, never retried");
        var pod = job.Spec.Template.Spec;
        // One run: 3 h budget + 30 min for scoring = 12,600 s; 6 runs 2 at a time = 3 waves.
        Assert.That(pod.ActiveDeadlineSeconds, Is.EqualTo(12_600));
        Assert.That(job.Spec.ActiveDeadlineSeconds, Is.EqualTo(3 * 12_600));
        var container = pod.Containers.Single();
        Assert.That(container.Resources.Limits["nvidia.com/gpu"].ToString(), Is.EqualTo("2"));
        Assert.That(pod.Volumes.Single().PersistentVolumeClaim.ClaimName, Is.EqualTo("mlrb-workspaces"));
        Assert.That(container.Command[2], Does.Contain("mlrb run \"$task\" --run-id \"mlrb-bench-golden-$task-$run\" --workdir /work/runs"));
    }

    [Test]
    public void K8s_Manifest_CarriesNoSecretValues()
    {
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "sk-should-never-appear");
        try
        {
            var yaml = EmitK8s("--db", "postgres://someone@db.internal/secretdb");
            var job = KubernetesYaml.Deserialize<V1Job>(yaml);

            Assert.That(yaml, Does.Not.Contain("sk-should-never-appear"));
            Assert.That(yaml, Does.Not.Contain("secretdb"), "the DSN comes from the Secret, not from --db");
            var env = job.Spec.Template.Spec.Containers.Single().Env;
            Assert.That(env.Select(e => e.Name), Is.SupersetOf(new[] { "MLRB_DB", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PGPASSWORD" }));
            foreach (var variable in env)
            {
                Assert.That(variable.Value, Is.Null, variable.Name + " has a literal value");
                Assert.That(variable.ValueFrom?.SecretKeyRef?.Name, Is.EqualTo("mlrb"), variable.Name + " comes from the Secret");
            }

        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", null);
        }
    }

    [Test]
    public void K8s_WithoutAnImage_IsAOneLineError()
    {
        var (code, _, err) = CliInvoker.Run("bench", "mini_baby_lm", "--runs", "1", "--provider", "openai", "--emit", "k8s", _dir);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Trim(), Does.StartWith("mlrb bench: --emit k8s needs --image").And.Not.Contain("\n"));
    }

    [Test]
    public void UnknownTask_IsRefused_BeforeAnythingIsWritten()
    {
        var (code, _, err) = CliInvoker.Run("bench", "mini_baby_lm", "no_such_task", "--runs", "1", "--provider", "openai", "--emit", "slurm", Path.Combine(_dir, "out"));

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("unknown task(s) no_such_task"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "out")), Is.False);
    }

    [Test]
    public void Slurm_Script_MatchesTheGoldenFile()
    {
        var (code, _, err) = CliInvoker.Run(
            "bench", "mini_baby_lm", "mini_pile", "--runs", "3", "--parallel", "2", "--provider", "openai", "--label", "base", "--time-limit", "3h",
            "--eval-allowance", "30m", "--workdir", "/shared/runs", "--emit", "slurm", _dir, "--job-name", "mlrb-bench-golden");
        Assert.That(code, Is.Zero, err);

        var script = File.ReadAllText(Path.Combine(_dir, "mlrb-bench.sbatch")).Replace(_dir, "<DIR>", StringComparison.Ordinal);
        Assert.That(script, Is.EqualTo(File.ReadAllText(Path.Combine(Golden, "bench-slurm.sbatch"))));
    }

    [Test]
    public async Task Slurm_Script_RunsTheRightTaskAndRun_ForEveryIndex_AndTreatsAnAgentFailureAsAResult()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/bash"))
        {
            Assert.Ignore("bash is not installed");
        }

        // A stand-in for mlrb that records its arguments and exits with the code in FAKE_EXIT.
        var fake = Path.Combine(_dir, "fake-mlrb");
        var calls = Path.Combine(_dir, "calls.txt");
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\necho \"$*\" >> {calls}\nexit \"${{FAKE_EXIT:-0}}\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var (code, _, err) = CliInvoker.Run(
            "bench", "mini_baby_lm", "mini_pile", "--runs", "2", "--provider", "replay", "--transcript", "t.jsonl", "--workdir", "/shared/runs",
            "--emit", "slurm", Path.Combine(_dir, "out"), "--job-name", "b", "--mlrb-command", fake);
        Assert.That(code, Is.Zero, err);
        var script = Path.Combine(_dir, "out", "mlrb-bench.sbatch");

        for (var index = 0; index < 4; index++)
        {
            Assert.That(await RunAsync(script, index, fakeExit: index == 3 ? 1 : 0), Is.Zero, $"index {index}");
        }

        Assert.That(await RunAsync(script, 0, fakeExit: 2), Is.EqualTo(2), "a run that could not start fails its array task");
        Assert.That(await RunAsync(script, 4, fakeExit: 0), Is.EqualTo(2), "an index past the bench is refused");
        var lines = (await File.ReadAllLinesAsync(calls)).Take(4).ToArray();
        Assert.That(lines, Is.EqualTo(new[]
        {
            "run mini_baby_lm --run-id b-77-mini_baby_lm-1 --workdir /shared/runs --provider replay --transcript t.jsonl",
            "run mini_baby_lm --run-id b-77-mini_baby_lm-2 --workdir /shared/runs --provider replay --transcript t.jsonl",
            "run mini_pile --run-id b-77-mini_pile-1 --workdir /shared/runs --provider replay --transcript t.jsonl",
            "run mini_pile --run-id b-77-mini_pile-2 --workdir /shared/runs --provider replay --transcript t.jsonl",
        }));

        async Task<int> RunAsync(string path, int index, int fakeExit)
        {
            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(path);
            start.Environment["SLURM_ARRAY_TASK_ID"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["SLURM_ARRAY_JOB_ID"] = "77";
            start.Environment["MLRB_DB"] = "postgres://x@y/z";
            start.Environment["FAKE_EXIT"] = fakeExit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
    }
}
