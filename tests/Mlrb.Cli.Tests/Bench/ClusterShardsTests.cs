using System.CommandLine;
using System.Diagnostics;
using k8s;
using k8s.Models;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Bench;

/// <summary>
/// <c>mlrb bench … --emit slurm|k8s DIR --shards N</c>: the runs only submit, an evaluation array scores every run in N
/// shards, a merge per run stores the score; golden files, typed manifests, dependencies, clear errors for bad N.
/// </summary>
[NonParallelizable]
public class ClusterShardsTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Bench", "Golden");

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-shards");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Emit(string kind, params string[] extra)
    {
        var (code, _, err) = CliInvoker.Run(
        [
            "bench", "mini_baby_lm", "mini_pile", "--runs", "2", "--parallel", "3", "--provider", "openai", "--label", "base", "--time-limit", "3h",
            "--eval-allowance", "45m", "--eval-data", "/shared/data", "--eval-limit", "50", "--workdir", "/shared/runs",
            "--emit", kind, _dir, "--job-name", "golden", "--shards", "3", .. extra,
        ]);
        Assert.That(code, Is.Zero, err);
        return _dir;
    }

    private static void AssertMatchesGolden(string dir, string golden, params string[] files)
    {
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName).Order(), Is.EqualTo(files.Order()), "the files written");
        foreach (var file in files)
        {
            var text = File.ReadAllText(Path.Combine(dir, file)).Replace(dir, "<DIR>", StringComparison.Ordinal);
            Assert.That(text, Is.EqualTo(File.ReadAllText(Path.Combine(Golden, golden, file))), file);
        }
    }

    [Test]
    public void Slurm_Shards_WriteTheRunsEvaluationAndMergeArrays_MatchingTheGoldenFiles()
    {
        var dir = Emit("slurm");

        AssertMatchesGolden(dir, "shards-slurm", "mlrb-bench.sbatch", "mlrb-bench-eval.sbatch", "mlrb-bench-merge.sbatch", "mlrb-bench-submit.sh");
        var runs = File.ReadAllText(Path.Combine(dir, "mlrb-bench.sbatch"));
        Assert.That(runs, Does.Contain("--no-eval"), "the runs only submit; the evaluation array scores");
        var eval = File.ReadAllText(Path.Combine(dir, "mlrb-bench-eval.sbatch"));
        Assert.That(eval, Does.Contain("#SBATCH --array=0-11%3"), "4 runs × 3 shards, --parallel 3 at a time");
        Assert.That(eval, Does.Contain("#SBATCH --time=0-00:45:00"), "a shard gets the evaluation allowance");
        var merge = File.ReadAllText(Path.Combine(dir, "mlrb-bench-merge.sbatch"));
        Assert.That(merge, Does.Contain("#SBATCH --array=0-3%3").And.Not.Contain("--gres"), "one merge per run, no GPU");
    }

    [Test]
    public void K8s_Shards_WriteThreeTypedJobs_MatchingTheGoldenFiles_WithoutSecretsOrApiKeysForScoring()
    {
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "sk-should-never-appear");
        try
        {
            var dir = Emit("k8s", "--image", "registry.example/mlrb:0.9", "--workspace-claim", "mlrb-workspaces", "--job-gpus", "2");

            AssertMatchesGolden(dir, "shards-k8s", "mlrb-bench-job.yaml", "mlrb-bench-eval-job.yaml", "mlrb-bench-merge-job.yaml", "mlrb-bench-submit.sh");
            var eval = KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(Path.Combine(dir, "mlrb-bench-eval-job.yaml")));
            var merge = KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(Path.Combine(dir, "mlrb-bench-merge-job.yaml")));
            foreach (var file in Directory.GetFiles(dir, "*.yaml"))
            {
                var yaml = File.ReadAllText(file);
                Assert.That(KubernetesYaml.Serialize(KubernetesYaml.Deserialize<V1Job>(yaml)), Is.EqualTo(yaml), file + " round-trips");
                Assert.That(yaml, Does.Not.Contain("sk-should-never-appear"));
            }

            Assert.That((eval.Metadata.Name, eval.Spec.CompletionMode, eval.Spec.Completions, eval.Spec.Parallelism), Is.EqualTo(("golden-eval", "Indexed", (int?)12, (int?)3)));
            Assert.That(eval.Spec.Template.Spec.ActiveDeadlineSeconds, Is.EqualTo(45 * 60));
            Assert.That(eval.Spec.ActiveDeadlineSeconds, Is.EqualTo(4 * 45 * 60), "12 shards, 3 at a time: 4 waves");
            var evalPod = eval.Spec.Template.Spec.Containers.Single();
            Assert.That(evalPod.Resources.Limits["nvidia.com/gpu"].ToString(), Is.EqualTo("2"));
            Assert.That(evalPod.Env.Select(e => e.Name), Is.EqualTo(new[] { "MLRB_DB", "PGPASSWORD" }), "scoring pods get the store, no model API keys");
            Assert.That(evalPod.Env.All(e => e.Value is null && e.ValueFrom.SecretKeyRef.Name == "mlrb"), Is.True);
            Assert.That(evalPod.Command[2], Does.Contain("mlrb eval --run \"golden-$task-$run\" --shard \"$shard/3\" --data /shared/data --limit 50"));
            Assert.That(eval.Spec.Template.Spec.Volumes.Single().PersistentVolumeClaim.ClaimName, Is.EqualTo("mlrb-workspaces"));
            Assert.That((merge.Metadata.Name, merge.Spec.Completions), Is.EqualTo(("golden-merge", (int?)4)));
            Assert.That(merge.Spec.Template.Spec.Containers.Single().Resources.Limits.ContainsKey("nvidia.com/gpu"), Is.False);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", null);
        }
    }

    [TestCase("slurm", "0", "--shards must be between 1 and 256")]
    [TestCase("slurm", "-2", "--shards must be between 1 and 256")]
    [TestCase("slurm", "257", "--shards must be between 1 and 256")]
    [TestCase("k8s", "2", "--emit k8s --shards needs --workspace-claim")]
    [TestCase("none", "2", "--shards splits the evaluation of an emitted cluster job")]
    [TestCase("no-eval", "2", "cannot be combined with --no-eval")]
    [TestCase("math", "2", "task 'math_reasoning' is scored on generated text")]
    public void BadShards_AreAOneLineError_AndNothingIsWritten(string kind, string shards, string expected)
    {
        var output = Path.Combine(_dir, "out");
        List<string> args = ["bench", kind == "math" ? "math_reasoning" : "mini_baby_lm", "--runs", "1", "--provider", "openai", "--shards", shards];
        if (kind != "none")
        {
            args.AddRange(["--emit", kind is "k8s" ? "k8s" : "slurm", output, "--image", "i:1"]);
        }

        if (kind == "no-eval")
        {
            args.Add("--no-eval");
        }

        var (code, _, err) = CliInvoker.Run([.. args]);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err.Trim(), Does.StartWith("mlrb bench: ").And.Contain(expected).And.Not.Contain("\n"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [TestCase(false, "--eval-data", "/shared/data", false)]
    [TestCase(false, "--label", "x", true)]
    [TestCase(true, "--eval-data", "/shared/data", false)]
    [TestCase(true, "--label", "x", true)]
    public void WithoutEvalData_TheEmitterSaysWhereSubmissionsWillBeScored(bool sharded, string option, string value, bool noted)
    {
        var (code, _, err) = CliInvoker.Run(
        [
            "bench", "mini_baby_lm", "--runs", "1", "--provider", "openai", option, value, "--emit", "slurm", Path.Combine(_dir, "out"), .. sharded ? new[] { "--shards", "2" } : [],
        ]);

        Assert.That(code, Is.Zero, err);
        Assert.That(err.Contains("no --eval-data given", StringComparison.Ordinal), Is.EqualTo(noted), err);
    }

    [Test]
    public async Task Slurm_SubmitScript_ChainsTheArraysWithDependencies_AndTheScriptsScoreEveryShardOfEveryRun()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/bash"))
        {
            Assert.Ignore("bash is not installed");
        }

        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var calls = Path.Combine(_dir, "calls.txt");
        var sbatchCalls = Path.Combine(_dir, "sbatch.txt");
        var fake = Script(Path.Combine(bin, "fake-mlrb"), $"#!/bin/sh\necho \"$*\" >> {calls}\nexit \"${{FAKE_EXIT:-0}}\"\n");
        Script(Path.Combine(bin, "sbatch"), $"#!/bin/sh\necho \"$*\" >> {sbatchCalls}\nn=$(wc -l < {sbatchCalls})\necho \"$((100 + n));cluster\"\n");
        var jobs = Path.Combine(_dir, "jobs");
        var (code, _, err) = CliInvoker.Run(
            "bench", "mini_baby_lm", "mini_pile", "--runs", "2", "--provider", "replay", "--transcript", "t.jsonl", "--eval-data", "/d", "--workdir", "/shared/runs",
            "--emit", "slurm", jobs, "--job-name", "b", "--mlrb-command", fake, "--shards", "2");
        Assert.That(code, Is.Zero, err);

        var (submitted, submitOutput) = await BashAsync(Path.Combine(jobs, "mlrb-bench-submit.sh"), new() { ["PATH"] = bin + ":/usr/bin:/bin", ["MLRB_DB"] = "postgres://x@y/z" }, "--wait");
        Assert.That(submitted, Is.Zero, submitOutput);
        Assert.That(await File.ReadAllLinesAsync(sbatchCalls), Is.EqualTo(new[]
        {
            $"--parsable {jobs}/mlrb-bench.sbatch",
            $"--parsable --dependency=afterany:101 --kill-on-invalid-dep=yes --export=ALL,MLRB_RUNS_JOB_ID=101 {jobs}/mlrb-bench-eval.sbatch",
            $"--parsable --dependency=afterany:102 --kill-on-invalid-dep=yes --export=ALL,MLRB_RUNS_JOB_ID=101 --wait {jobs}/mlrb-bench-merge.sbatch",
        }));
        Assert.That(submitOutput, Does.Contain("merges: job 103 (after 102)"));

        var environment = new Dictionary<string, string> { ["MLRB_DB"] = "postgres://x@y/z", ["MLRB_RUNS_JOB_ID"] = "101" };
        for (var index = 0; index < 8; index++)
        {
            environment["SLURM_ARRAY_TASK_ID"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.That((await BashAsync(Path.Combine(jobs, "mlrb-bench-eval.sbatch"), environment)).Code, Is.Zero, $"eval index {index}");
        }

        environment["FAKE_EXIT"] = "1";
        environment["SLURM_ARRAY_TASK_ID"] = "0";
        Assert.That((await BashAsync(Path.Combine(jobs, "mlrb-bench-eval.sbatch"), environment)).Code, Is.EqualTo(1), "a failed shard fails its array task");
        environment.Remove("FAKE_EXIT");
        for (var index = 0; index < 4; index++)
        {
            environment["SLURM_ARRAY_TASK_ID"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.That((await BashAsync(Path.Combine(jobs, "mlrb-bench-merge.sbatch"), environment)).Code, Is.Zero, $"merge index {index}");
        }

        environment["SLURM_ARRAY_TASK_ID"] = "8";
        Assert.That((await BashAsync(Path.Combine(jobs, "mlrb-bench-eval.sbatch"), environment)).Code, Is.EqualTo(2), "an index past the bench is refused");
        environment.Remove("MLRB_RUNS_JOB_ID");
        environment["SLURM_ARRAY_TASK_ID"] = "0";
        var (unchained, message) = await BashAsync(Path.Combine(jobs, "mlrb-bench-merge.sbatch"), environment);
        Assert.That(unchained, Is.Not.Zero, "the merge array needs the runs' job id");
        Assert.That(message, Does.Contain("submit with mlrb-bench-submit.sh"));

        var lines = await File.ReadAllLinesAsync(calls);
        Assert.That(lines.Take(8), Is.EqualTo(new[]
        {
            "eval --run b-101-mini_baby_lm-1 --shard 0/2 --data /d",
            "eval --run b-101-mini_baby_lm-1 --shard 1/2 --data /d",
            "eval --run b-101-mini_baby_lm-2 --shard 0/2 --data /d",
            "eval --run b-101-mini_baby_lm-2 --shard 1/2 --data /d",
            "eval --run b-101-mini_pile-1 --shard 0/2 --data /d",
            "eval --run b-101-mini_pile-1 --shard 1/2 --data /d",
            "eval --run b-101-mini_pile-2 --shard 0/2 --data /d",
            "eval --run b-101-mini_pile-2 --shard 1/2 --data /d",
        }));
        Assert.That(lines.Skip(9).Take(4), Is.EqualTo(new[]
        {
            "eval merge --run b-101-mini_baby_lm-1",
            "eval merge --run b-101-mini_baby_lm-2",
            "eval merge --run b-101-mini_pile-1",
            "eval merge --run b-101-mini_pile-2",
        }));
    }

    [Test]
    public async Task K8s_SubmitScript_AppliesEachJob_OnlyAfterTheOneBeforeHasFinished()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            Assert.Ignore("sh is not installed");
        }

        // A stand-in kubectl: `get job X` says Failed for the runs (a failed index must not stop the scoring) and
        // Complete for the others, but only from the second poll on, so the script has to wait.
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var log = Path.Combine(_dir, "kubectl.txt");
        Script(Path.Combine(bin, "kubectl"), $$"""
            #!/bin/sh
            echo "$*" >> {{log}}
            case "$*" in
              *" get job "*)
                name="$(echo "$*" | sed 's/.* get job \([^ ]*\) .*/\1/')"
                polls="$(grep -c " get job $name " {{log}})"
                if [ "$polls" -lt 2 ]; then echo "SuccessCriteriaMet"; exit 0; fi
                case "$name" in *-eval|*-merge) echo "Complete " ;; *) echo "FailureTarget Failed " ;; esac ;;
            esac
            """);
        var dir = Emit("k8s", "--image", "i:1", "--workspace-claim", "ws", "--namespace", "bench");

        var (code, output) = await ShAsync(Path.Combine(dir, "mlrb-bench-submit.sh"), new() { ["PATH"] = bin + ":/usr/bin:/bin", ["POLL"] = "0" });

        Assert.That(code, Is.Zero, output);
        var calls = (await File.ReadAllLinesAsync(log)).Select(l => l.Replace(dir, "<DIR>", StringComparison.Ordinal).Split(" -o ")[0]).ToArray();
        Assert.That(calls, Is.EqualTo(new[]
        {
            "-n bench apply -f <DIR>/mlrb-bench-job.yaml", "-n bench get job golden", "-n bench get job golden",
            "-n bench apply -f <DIR>/mlrb-bench-eval-job.yaml", "-n bench get job golden-eval", "-n bench get job golden-eval",
            "-n bench apply -f <DIR>/mlrb-bench-merge-job.yaml", "-n bench get job golden-merge", "-n bench get job golden-merge",
        }));
        Assert.That(output, Does.Contain("job golden finished with failed indexes"));
    }

    private static string Script(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static Task<(int Code, string Output)> BashAsync(string script, Dictionary<string, string> environment, params string[] args) => ExecAsync("/bin/bash", script, environment, args);

    private static Task<(int Code, string Output)> ShAsync(string script, Dictionary<string, string> environment) => ExecAsync("/bin/sh", script, environment, []);

    private static async Task<(int Code, string Output)> ExecAsync(string shell, string script, Dictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(shell) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
