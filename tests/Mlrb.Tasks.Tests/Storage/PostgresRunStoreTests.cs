using System.Globalization;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;
using Npgsql;

namespace Mlrb.Tasks.Tests.Storage;

/// <summary>What only the PostgreSQL store has: locations, migrations under concurrency, retries, many processes.</summary>
public class PostgresRunStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [SetUp]
    public void SetUp() => PostgresTestServer.RequireServer();

    [Test]
    public async Task PostgresUrl_OpensTheSameStore_AsTheConnectionString()
    {
        var connection = PostgresTestServer.CreateDatabase();
        await using (var store = await RunStoreFactory.OpenAsync(connection))
        {
            await store.CreateRunAsync(Run("r1"));
        }

        await using var byUrl = await RunStoreFactory.OpenAsync(PostgresTestServer.Url(connection));
        Assert.That((await byUrl.GetRunAsync("r1"))?.TaskName, Is.EqualTo("baby_lm"));
    }

    [TestCase("postgres://mlrb:secret@localhost/db")]
    [TestCase("Host=localhost;Username=mlrb;Password=secret;Database=db")]
    public async Task Password_InTheLocation_IsRefused_WithoutEchoingIt(string location)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => RunStoreFactory.OpenAsync(location));
        Assert.That(ex!.Message, Does.Contain("PGPASSWORD"));
        Assert.That(ex.Message, Does.Not.Contain("secret"));
    }

    [Test]
    public async Task UnreachableServer_IsAClearError_NamingItWithoutCredentials()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunStoreFactory.OpenAsync("postgres://someone@127.0.0.1:1/nowhere?connect_timeout=2"));
        Assert.That(ex!.Message, Does.StartWith("Cannot open run database postgres://someone@127.0.0.1:1/nowhere"));
    }

    [Test]
    public async Task ManyOpenersAtOnce_MigrateOnce()
    {
        var connection = PostgresTestServer.CreateDatabase();
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RunStoreFactory.OpenAsync(connection)));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        await using var raw = new NpgsqlConnection(connection);
        await raw.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), max(version) FROM schema_version", raw);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.That((reader.GetInt64(0), reader.GetInt32(1)), Is.EqualTo((1L, 1)));
    }

    [Test]
    public async Task NewerSchema_IsRefusedWithAClearMessage()
    {
        var connection = PostgresTestServer.CreateDatabase();
        await (await RunStoreFactory.OpenAsync(connection)).DisposeAsync();
        await using (var raw = new NpgsqlConnection(connection))
        {
            await raw.OpenAsync();
            await using var command = new NpgsqlCommand("INSERT INTO schema_version VALUES (99, now())", raw);
            await command.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunStoreFactory.OpenAsync(connection));
        Assert.That(ex!.Message, Does.Contain("schema version 99, newer than this build"));
    }

    [Test]
    public async Task DroppedConnections_AreRetried_AndNothingAcknowledgedIsLostOrDuplicated()
    {
        var connection = PostgresTestServer.CreateDatabase();
        var database = new NpgsqlConnectionStringBuilder(connection).Database!;
        await using var store = await RunStoreFactory.OpenAsync(connection);
        await store.CreateRunAsync(Run("r1"));

        var ids = new List<long>();
        var terminated = 0;
        for (var i = 0; i < 30; i++)
        {
            if (i % 5 == 0)
            {
                // Every pooled connection of the store dies, as when the server restarts or a network link drops.
                terminated += PostgresTestServer.TerminateSessions(database);
            }

            var id = await store.AddStepAsync(Step("r1", i));
            await store.CompleteStepAsync(id, new StepCompletion(StepStatus.Succeeded, "ok " + i.ToString(CultureInfo.InvariantCulture), null, T0, 1, 0));
            ids.Add(id);
        }

        var steps = await store.GetStepsAsync("r1");
        Assert.That(terminated, Is.GreaterThanOrEqualTo(5), "the store's pooled sessions were really killed");
        Assert.That(steps.Select(s => s.Id), Is.EqualTo(ids));
        Assert.That(steps.Select(s => s.InputTokens), Is.EqualTo(Enumerable.Range(0, 30).Select(i => 100L + i + 1)));
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task SeveralWriterProcesses_AtOnce_AllRowsPresent(CancellationToken cancellationToken)
    {
        var connection = PostgresTestServer.CreateDatabase();
        var runs = Enumerable.Range(0, 3).Select(i => "proc-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var committed = await Task.WhenAll(runs.Select(run => RunStoreKillTests.RunWriterAndKillAsync(connection, run, stepsBeforeKill: 25, cancellationToken)));

        await using var store = await RunStoreFactory.OpenAsync(connection, cancellationToken);
        Assert.That((await store.ListRunsAsync(cancellationToken)).Select(r => r.RunId).Order(), Is.EqualTo(runs));
        for (var p = 0; p < runs.Length; p++)
        {
            // Killed mid-run: every step the writer reported as committed is there, complete, exactly once.
            var steps = await store.GetStepsAsync(runs[p], cancellationToken);
            Assert.That(steps.Count, Is.GreaterThanOrEqualTo(committed[p] + 1));
            Assert.That(steps.Select(s => s.CallId).Distinct().Count(), Is.EqualTo(steps.Count));
            for (var i = 0; i <= committed[p]; i++)
            {
                Assert.That(steps[i].OutputExcerpt, Is.EqualTo("step " + i.ToString(CultureInfo.InvariantCulture)), $"{runs[p]} step {i}");
                Assert.That(steps[i].Status, Is.EqualTo(StepStatus.Succeeded));
            }
        }

        // The store keeps working after the writers died.
        await store.AddStepAsync(Step(runs[0], 999), cancellationToken);
    }

    private static RunRecord Run(string id) => new() { RunId = id, TaskName = "baby_lm", WorkspacePath = "/w/" + id, StartedAt = T0 };

    private static StepRecord Step(string runId, int i) => new()
    {
        RunId = runId, Agent = "worker-1", Kind = "tool", Tool = "run_bash", CallId = "c" + i.ToString(CultureInfo.InvariantCulture),
        InputTokens = 100 + i, StartedAt = T0,
    };
}
