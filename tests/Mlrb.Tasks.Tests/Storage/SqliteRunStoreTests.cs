using Microsoft.Data.Sqlite;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Storage;

/// <summary>
/// What only the SQLite store has (100 ns times, WAL, migrations of older files, file errors); the store contract itself
/// is in <see cref="Conformance.RunStoreConformanceTests"/>, which runs on SQLite and PostgreSQL.
/// </summary>
public class SqliteRunStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 16, 0, 0, TimeSpan.FromHours(2));

    private string _dir = null!;
    private string _db = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = TestPaths.CreateTempDirectory("mlrb-store");
        _db = Path.Combine(_dir, "nested", "runs.db");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    internal static RunRecord Run(string id, DateTimeOffset? started = null) => new()
    {
        RunId = id,
        TaskName = "baby_lm",
        WorkspacePath = "/tmp/runs/" + id,
        Provider = "openai",
        Model = "gpt-4o",
        StartedAt = started ?? T0,
        TimeLimit = TimeSpan.FromHours(24),
    };

    internal static StepRecord Step(string runId, int i) => new()
    {
        RunId = runId,
        Agent = "worker-1",
        Kind = "tool",
        Tool = "run_python",
        CallId = "call-" + i,
        ArgumentsJson = "{\"filepath\":\"train.py\"}",
        InputTokens = 100 + i,
        OutputTokens = 20,
        StartedAt = T0.AddMinutes(i),
    };

    [Test]
    public async Task Run_RoundTrips_AllColumns_AndUpdates()
    {
        await using var store = await RunStoreFactory.OpenSqliteAsync(_db);
        var run = Run("r1");
        await store.CreateRunAsync(run);

        Assert.That(await store.GetRunAsync("r1"), Is.EqualTo(run));

        var finished = run with
        {
            Status = RunStatus.Completed,
            FinishedAt = T0.AddHours(3).AddTicks(1),
            StopReason = "return_fn called",
            InputTokens = 123_456_789_012,
            OutputTokens = 42,
            CostUsd = 12.3456789m,
            ResultJson = "{\"model_path\":\"model\",\"note\":\"it's done\"}",
            MetadataJson = "{\"plan\":[\"a\",\"b\"]}",
        };
        await store.UpdateRunAsync(finished);

        Assert.That(await store.GetRunAsync("r1"), Is.EqualTo(finished));
        Assert.That(await store.GetRunAsync("missing"), Is.Null);
    }

    [Test]
    public async Task Reopen_KeepsEverything_AndUsesWal()
    {
        await using (var store = await RunStoreFactory.OpenSqliteAsync(_db))
        {
            await store.CreateRunAsync(Run("r1"));
            await store.AddStepAsync(Step("r1", 0));
        }

        await using (var store = await RunStoreFactory.OpenSqliteAsync(_db))
        {
            Assert.That(await store.GetRunAsync("r1"), Is.Not.Null);
            Assert.That(await store.GetStepsAsync("r1"), Has.Count.EqualTo(1));
        }

        Assert.That(Pragma(_db, "journal_mode"), Is.EqualTo("wal"));
        Assert.That(Pragma(_db, "integrity_check"), Is.EqualTo("ok"));
        Assert.That(SchemaVersions(_db), Is.EqualTo(new[] { 1L, 2L, 3L }));
    }

    [Test]
    public async Task OlderDatabase_IsMigrated_KeepingItsData()
    {
        // A database as version 1 of the schema left it: runs and steps, no messages table.
        using (SqliteRunStore.Open(_db, targetVersion: 1))
        {
        }

        Execute(_db, """
            INSERT INTO runs (run_id, task_name, workspace_path, provider, model, status, started_at, time_limit_ticks, input_tokens, output_tokens)
            VALUES ('old', 'baby_lm', '/tmp/runs/old', 'openai', 'gpt-4o', 'Running', '2026-11-28T14:00:00.0000000+00:00', 864000000000, 0, 0);
            INSERT INTO steps (run_id, agent, kind, tool, status, started_at, input_tokens, output_tokens)
            VALUES ('old', 'worker-1', 'tool', 'run_python', 'Started', '2026-11-28T14:00:00.0000000+00:00', 0, 0);
            """);

        Assert.That(SchemaVersions(_db), Is.EqualTo(new[] { 1L }));
        Assert.That(TableExists(_db, "messages"), Is.False);

        await using var store = await RunStoreFactory.OpenSqliteAsync(_db);

        Assert.That(SchemaVersions(_db), Is.EqualTo(new[] { 1L, 2L, 3L }));
        Assert.That(await store.GetRunAsync("old"), Is.EqualTo(Run("old")));
        Assert.That(await store.GetStepsAsync("old"), Has.Count.EqualTo(1));
        await store.AddMessageAsync(new MessageRecord { RunId = "old", Agent = "a", Role = "user", ContentJson = "{}", CreatedAt = T0 });
        Assert.That(await store.GetMessagesAsync("old"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Version2Database_GainsTheLedger_AndFinishedRunsGetTheOutcomeTheirEndImplies()
    {
        using (SqliteRunStore.Open(_db, targetVersion: 2))
        {
        }

        void OldRun(string id, string status, string? reason, string? resultJson) => Execute(
            _db,
            "INSERT INTO runs (run_id, task_name, workspace_path, status, started_at, stop_reason, result_json, input_tokens, output_tokens) "
            + $"VALUES ('{id}', 'baby_lm', '/w/{id}', '{status}', '2026-11-28T14:00:00.0000000+00:00', {(reason is null ? "NULL" : "'" + reason + "'")}, {(resultJson is null ? "NULL" : "'" + resultJson + "'")}, 5, 6)");
        OldRun("submitted", "Completed", "submitted", """{"submission":{"modelPath":"/w/submitted/model","metrics":{}}}""");
        OldRun("late", "BudgetExhausted", "time limit of 1h reached; final submission made", """{"submission":{"modelPath":"/w/late/model","metrics":{}}}""");
        OldRun("timeout", "BudgetExhausted", "time limit of 1h reached", """{"submission":null}""");
        OldRun("api", "Failed", "model call failed: 500 Internal Server Error", null);
        OldRun("quiet", "Failed", "every subtask of the plan was finished without a submission; no submission", "not json");
        OldRun("live", "Running", null, null);

        await using var store = await RunStoreFactory.OpenSqliteAsync(_db);

        Assert.That(SchemaVersions(_db), Is.EqualTo(new[] { 1L, 2L, 3L }));
        var runs = (await store.ListRunsAsync()).ToDictionary(r => r.RunId);
        Assert.That(runs["submitted"].Outcome, Is.Null, "a submission waits for mlrb eval --run");
        Assert.That(runs["late"].Outcome, Is.Null, "a final submission made at the budget's end is still scored");
        Assert.That(runs["timeout"].Outcome, Is.EqualTo(RunOutcome.BudgetExhausted));
        Assert.That(runs["timeout"].OutcomeDetail, Is.EqualTo("time limit of 1h reached"));
        Assert.That(runs["api"].Outcome, Is.EqualTo(RunOutcome.ProviderError));
        Assert.That(runs["quiet"].Outcome, Is.EqualTo(RunOutcome.NoSubmission));
        Assert.That(runs["live"].Outcome, Is.Null);
        Assert.That(runs.Values.All(r => r.Score is null && r.InputTokens == 5), Is.True, "data kept, nothing scored");
    }

    [Test]
    public async Task Outcome_Score_Label_AndEnvironment_RoundTrip()
    {
        await using var store = await RunStoreFactory.OpenSqliteAsync(_db);
        await store.CreateRunAsync(Run("r1") with { Label = "my-agent", EnvironmentJson = "{\"cpu\":\"x\"}" });
        var scored = (await store.GetRunAsync("r1"))! with { Outcome = RunOutcome.Scored, Score = 0.5421, OutcomeDetail = null };
        await store.UpdateRunAsync(scored);

        Assert.That(await store.GetRunAsync("r1"), Is.EqualTo(scored));
        await store.UpdateRunAsync(scored with { Outcome = RunOutcome.InvalidSubmission, Score = null, OutcomeDetail = "dtype: BF16 weights" });
        var invalid = (await store.GetRunAsync("r1"))!;
        Assert.That((invalid.Outcome, invalid.Score, invalid.OutcomeDetail, invalid.Label), Is.EqualTo((RunOutcome.InvalidSubmission, (double?)null, "dtype: BF16 weights", "my-agent")));
    }

    [Test]
    public async Task NewerDatabase_IsRefusedWithAClearMessage()
    {
        await using (await RunStoreFactory.OpenSqliteAsync(_db))
        {
        }

        using (var connection = new SqliteConnection(SqliteRunStore.ConnectionString(_db)))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunStoreFactory.OpenSqliteAsync(_db));
        Assert.That(ex!.Message, Does.Contain("99").And.Contain(_db));
    }

    [Test]
    public async Task NotADatabase_IsRefusedNamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db)!);
        File.WriteAllText(_db, new string('x', 4096));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunStoreFactory.OpenSqliteAsync(_db));
        Assert.That(ex!.Message, Does.Contain(_db));
    }

    [Test]
    public async Task Dispose_ClosesTheFile_AndLaterCallsFail()
    {
        var store = await RunStoreFactory.OpenSqliteAsync(_db);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListRunsAsync());
        Assert.DoesNotThrow(() => File.Move(_db, _db + ".moved"));
    }

    internal static string Pragma(string db, string pragma)
    {
        using var connection = new SqliteConnection(SqliteRunStore.ConnectionString(db));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static List<long> SchemaVersions(string db)
    {
        using var connection = new SqliteConnection(SqliteRunStore.ConnectionString(db));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }

    private static bool TableExists(string db, string table)
    {
        using var connection = new SqliteConnection(SqliteRunStore.ConnectionString(db));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
        command.Parameters.AddWithValue("$t", table);
        return (long)command.ExecuteScalar()! == 1;
    }

    private static void Execute(string db, string sql)
    {
        using var connection = new SqliteConnection(SqliteRunStore.ConnectionString(db));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
