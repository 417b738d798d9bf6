using System.Diagnostics;
using System.Globalization;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Storage;

/// <summary>A real writer process is killed (SIGKILL) mid-run; everything it reported as committed must survive.</summary>
public class RunStoreKillTests
{
    private const string WriterAssembly = "Mlrb.Tasks.Tests.StoreWriter.dll";

    [Test]
    [CancelAfter(120_000)]
    public async Task KilledWriter_LeavesAReadableDatabase_WithEveryCommittedStep(CancellationToken cancellationToken)
    {
        var dir = TestPaths.CreateTempDirectory("mlrb-kill");
        try
        {
            var db = Path.Combine(dir, "runs.db");
            var lastDone = await RunWriterAndKillAsync(db, "killed-run", stepsBeforeKill: 40, cancellationToken);

            Assert.That(File.Exists(db + "-wal"), Is.True, "the writer died with its commits still in the WAL file");
            Assert.That(SqliteRunStoreTests.Pragma(db, "integrity_check"), Is.EqualTo("ok"));

            await using var store = await RunStoreFactory.OpenSqliteAsync(db, cancellationToken);
            var run = await store.GetRunAsync("killed-run", cancellationToken);
            Assert.That(run, Is.Not.Null);
            Assert.That(run!.Status, Is.EqualTo(RunStatus.Running), "a killed run never recorded an end");

            var steps = await store.GetStepsAsync("killed-run", cancellationToken);
            Assert.That(steps.Count, Is.GreaterThanOrEqualTo(lastDone + 1));
            for (var i = 0; i <= lastDone; i++)
            {
                Assert.That(steps[i].Status, Is.EqualTo(StepStatus.Succeeded), $"step {i}");
                Assert.That(steps[i].OutputExcerpt, Is.EqualTo("step " + i.ToString(CultureInfo.InvariantCulture)));
                Assert.That(steps[i].InputTokens, Is.EqualTo(10));
            }

            var messages = await store.GetMessagesAsync("killed-run", cancellationToken);
            Assert.That(messages.Count, Is.GreaterThanOrEqualTo(lastDone + 1));

            // The store keeps working after the crash.
            var next = await store.AddStepAsync(SqliteRunStoreTests.Step("killed-run", 999), cancellationToken);
            Assert.That(next, Is.GreaterThan(steps[^1].Id));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts the writer, waits until it has committed <paramref name="stepsBeforeKill"/> steps, kills it.</summary>
    /// <returns>The index of the last step the writer reported as committed.</returns>
    internal static async Task<int> RunWriterAndKillAsync(string db, string runId, int stepsBeforeKill, CancellationToken cancellationToken)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, WriterAssembly);
        Assert.That(File.Exists(writer), Is.True, writer + " is built beside the tests");
        var start = new ProcessStartInfo(TestPaths.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(db);
        start.ArgumentList.Add(runId);

        using var process = Process.Start(start)!;
        var lastDone = -1;
        try
        {
            while (lastDone < stepsBeforeKill - 1)
            {
                var line = await process.StandardOutput.ReadLineAsync(cancellationToken);
                if (line is null)
                {
                    Assert.Fail("the writer exited early: " + await process.StandardError.ReadToEndAsync(cancellationToken));
                }

                if (line!.StartsWith("done ", StringComparison.Ordinal))
                {
                    lastDone = int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Lines the writer printed before dying are commits too.
        var rest = await process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        foreach (var line in rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("done ", StringComparison.Ordinal)))
        {
            lastDone = int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture);
        }

        Assert.That(process.ExitCode, Is.Not.Zero, "the writer was killed, not finished");
        return lastDone;
    }
}
