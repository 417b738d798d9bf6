using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Security.Cryptography;
using Mlrb.Cli.Commands.Results;
using Mlrb.Tasks;
using Mlrb.Tasks.Results;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>Runs a bench: every run through the <c>mlrb run</c> verb itself, then the results of exactly those runs.</summary>
internal static class BenchRunner
{
    /// <summary>Runs the bench.</summary>
    /// <returns>0 when every run ran (whatever its outcome), 2 for bad input or a run that could not start, 130 when cancelled.</returns>
    public static async Task<int> RunAsync(BenchSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!settings.RunArguments.Contains("--tasks-dir"))
        {
            var unknown = settings.Tasks.Where(t => !TaskCatalog.Builtin.TryGet(t, out _)).ToList();
            if (unknown.Count > 0)
            {
                var known = string.Join(", ", TaskCatalog.Builtin.Tasks.Select(t => t.Name));
                await stderr.WriteLineAsync($"mlrb bench: unknown task(s) {string.Join(", ", unknown)}. Known tasks: {known}.").ConfigureAwait(false);
                return 2;
            }
        }

        // The run options are checked once, before anything starts.
        var check = RunCommand.Create(TextWriter.Null, TextWriter.Null).Parse(Arguments(settings, settings.Tasks[0], "bench-check"));
        if (check.Errors.Count > 0)
        {
            await stderr.WriteLineAsync("mlrb bench: " + string.Join(" ", check.Errors.Select(e => e.Message))).ConfigureAwait(false);
            return 2;
        }

        var benchId = "bench-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var jobs = settings.Tasks.SelectMany(task => Enumerable.Range(1, settings.Runs).Select(k => (Task: task, K: k, RunId: $"{benchId}-{task}-{k}"))).ToList();
        await stderr.WriteLineAsync($"mlrb bench: {benchId}: {jobs.Count} run(s), {settings.Runs} of each of {string.Join(", ", settings.Tasks)}, {settings.Parallel} at a time.").ConfigureAwait(false);

        var gate = new object();
        using var slots = new SemaphoreSlim(settings.Parallel);
        var codes = await Task.WhenAll(jobs.Select(async job =>
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return 130;
                }

                using var output = new LinePrefixWriter(stderr, gate, $"[{job.Task} {job.K}/{settings.Runs}] ");
                var code = await RunOneAsync(settings, job.Task, job.RunId, output, cancellationToken).ConfigureAwait(false);
                output.WriteLine($"run {job.RunId} ended (exit code {code}).");
                return code;
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);

        var database = Path.GetFullPath(settings.DatabasePath ?? Path.Combine(settings.WorkDirectory, "mlrb.db"));
        if (File.Exists(database))
        {
            var printed = await ResultsPrinter.PrintStoreAsync(database, new ResultsFilter { RunIds = jobs.Select(j => j.RunId).ToList() }, settings.Output, runs: true, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
            if (printed != 0)
            {
                return printed;
            }
        }

        await stderr.WriteLineAsync($"mlrb bench: {benchId} done; see it again with mlrb results --db {database} --runs.").ConfigureAwait(false);
        return cancellationToken.IsCancellationRequested || codes.Contains(130) ? 130 : codes.Contains(2) ? 2 : 0;
    }

    private static async Task<int> RunOneAsync(BenchSettings settings, string task, string runId, TextWriter output, CancellationToken cancellationToken)
    {
        var parse = RunCommand.Create(output, output).Parse(Arguments(settings, task, runId));
        try
        {
            return parse.Action is AsynchronousCommandLineAction action
                ? await action.InvokeAsync(parse, cancellationToken).ConfigureAwait(false)
                : parse.Invoke();
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex)
        {
            await output.WriteLineAsync($"mlrb bench: run {runId} failed to run: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static List<string> Arguments(BenchSettings settings, string task, string runId) => [task, .. settings.RunArguments, "--run-id", runId];
}
