using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Bench;

/// <summary>
/// A real single-node Slurm cluster (deploy/slurm/local-cluster.sh: Debian's slurm-wlm and munge) runs an emitted job
/// array of two replayed runs of mini_baby_lm against a real PostgreSQL store; <c>mlrb results</c> then shows both.
/// Needs root, Slurm and PostgreSQL; skips with the reason otherwise.
/// </summary>
[NonParallelizable]
public class SlurmArrayTests
{
    [Test]
    [CancelAfter(600_000)]
    public async Task EmittedArray_RunsOnSlurm_AndResultsShowEveryRun(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore("a local Slurm cluster needs Linux and root");
        }

        if (!File.Exists("/usr/sbin/slurmctld") || !File.Exists("/usr/sbin/munged"))
        {
            Assert.Ignore("Slurm is not installed (apt-get install slurm-wlm munge; .ci/run does)");
        }

        PostgresTestServer.RequireServer();
        var dir = TestPaths.CreateTempDirectory("mlrb-slurm");
        var state = Path.Combine(dir, "slurm");
        var script = Path.Combine(TestPaths.RepositoryRoot, "deploy", "slurm", "local-cluster.sh");
        try
        {
            var (started, startOutput) = await ExecAsync("bash", [script, "start", state], null, cancellationToken);
            if (started != 0)
            {
                Assert.Ignore("a local Slurm cluster could not be started here: " + startOutput.Trim());
            }

            var url = PostgresTestServer.Url(PostgresTestServer.CreateDatabase());
            var mlrb = $"{TestPaths.DotnetHost()} {Path.Combine(AppContext.BaseDirectory, "mlrb.dll")}";
            var transcript = Path.Combine(TestPaths.RepositoryRoot, "samples", "replay", "tiny-baby-lm.jsonl");
            using (var output = new StringWriter())
            using (var error = new StringWriter())
            {
                string[] args =
                [
                    "bench", "mini_baby_lm", "--runs", "2", "--parallel", "2", "--provider", "replay", "--transcript", transcript,
                    "--time-limit", "20m", "--eval-allowance", "10m", "--workdir", Path.Combine(dir, "runs"),
                    "--emit", "slurm", Path.Combine(dir, "jobs"), "--job-gpus", "0", "--job-cpus", "1", "--job-memory", "3",
                    "--mlrb-command", mlrb, "--job-name", "slurm-test",
                ];
                var code = await CliApplication.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
                Assert.That(code, Is.Zero, error.ToString());
            }

            var environment = new Dictionary<string, string> { ["MLRB_DB"] = url, ["SLURM_CONF"] = Path.Combine(state, "slurm.conf") };
            var (submitted, submitOutput) = await ExecAsync("sbatch", ["--wait", Path.Combine(dir, "jobs", "mlrb-bench.sbatch")], environment, cancellationToken);
            var logs = string.Join("\n", Directory.GetFiles(Path.Combine(dir, "jobs", "logs")).Select(File.ReadAllText));
            Assert.That(submitted, Is.Zero, submitOutput + "\n" + logs);

            using var results = new StringWriter();
            using var resultsError = new StringWriter();
            var resultsCode = await CliApplication.BuildRoot().Parse(["results", "--db", url, "--runs", "--json"])
                .InvokeAsync(new InvocationConfiguration { Output = results, Error = resultsError }, cancellationToken);
            Assert.That(resultsCode, Is.Zero, resultsError.ToString());
            using var json = JsonDocument.Parse(results.ToString());
            var summary = json.RootElement.GetProperty("summaries").EnumerateArray().Single();
            Assert.That(summary.GetProperty("task").GetString(), Is.EqualTo("mini_baby_lm"));
            Assert.That(summary.GetProperty("runs").GetInt32(), Is.EqualTo(2), logs);
            Assert.That(results.ToString(), Does.Contain("slurm-test-").And.Contain("-mini_baby_lm-1").And.Contain("-mini_baby_lm-2"));
        }
        finally
        {
            await ExecAsync("bash", [script, "stop", state], null, CancellationToken.None);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A daemon still closing its state files; the folder is under /tmp.
            }
        }
    }

    private static async Task<(int Code, string Output)> ExecAsync(string program, string[] arguments, Dictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
