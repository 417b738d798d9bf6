using System.CommandLine;
using System.Text.Json;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary><c>mlrb results</c> on a shared PostgreSQL store, named by <c>--db</c> or by <c>MLRB_DB</c>.</summary>
[NonParallelizable]
public class ResultsPostgresTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Results_FromAPostgresStore_ByFlagAndByEnvironment()
    {
        PostgresTestServer.RequireServer();
        var url = PostgresTestServer.Url(PostgresTestServer.CreateDatabase());
        await using (var store = await RunStoreFactory.OpenAsync(url))
        {
            // Two machines' runs of one task: 0.7 scored, one provider_error (counted as 0) -> mean 0.35, mean of scored 0.7.
            await store.CreateRunAsync(Run("a", RunOutcome.Scored, 0.7));
            await store.CreateRunAsync(Run("b", RunOutcome.ProviderError, null));
        }

        foreach (var byEnvironment in new[] { false, true })
        {
            Environment.SetEnvironmentVariable("MLRB_DB", byEnvironment ? url : null);
            try
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                string[] args = byEnvironment ? ["results", "--json"] : ["results", "--db", url, "--json"];
                var code = CliApplication.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });

                Assert.That(code, Is.Zero, error.ToString());
                using var json = JsonDocument.Parse(output.ToString());
                var summary = json.RootElement.GetProperty("summaries").EnumerateArray().Single();
                Assert.That(summary.GetProperty("runs").GetInt32(), Is.EqualTo(2));
                Assert.That(summary.GetProperty("mean_score").GetDouble(), Is.EqualTo(0.35).Within(1e-12));
            }
            finally
            {
                Environment.SetEnvironmentVariable("MLRB_DB", null);
            }
        }
    }

    [Test]
    public void PasswordInTheUrl_IsRefused_AndNeverPrinted()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApplication.BuildRoot().Parse(["results", "--db", "postgres://me:hunter2@127.0.0.1/db"]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.That(code, Is.Not.Zero);
        Assert.That(error.ToString(), Does.Contain("PGPASSWORD"));
        Assert.That(output.ToString() + error.ToString(), Does.Not.Contain("hunter2"));
    }

    private static RunRecord Run(string id, RunOutcome outcome, double? score) => new()
    {
        RunId = id, TaskName = "mini_baby_lm", WorkspacePath = "/tmp/" + id, Provider = "openai", Model = "gpt-4o",
        Status = RunStatus.Completed, StartedAt = T0, FinishedAt = T0.AddMinutes(1), Outcome = outcome, Score = score,
    };
}
