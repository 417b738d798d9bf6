using Microsoft.Data.Sqlite;

namespace Mlrb.Tasks.Storage;

internal sealed partial class SqliteRunStore
{

    /// <inheritdoc />
    public Task<long> AddEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return WithConnectionAsync(
            async connection =>
            {
                using var command = Command(
                    connection,
                    """
                    INSERT INTO evaluations (run_id, started_at, finished_at, outcome, detail, score, score_name, model_path, model_sha256, data_directory, report_json, environment_json)
                    VALUES ($run, $started, $finished, $outcome, $detail, $score, $name, $model, $sha, $data, $report, $environment);
                    SELECT last_insert_rowid();
                    """,
                    ("$run", evaluation.RunId),
                    ("$started", SqliteValues.ToText(evaluation.StartedAt)),
                    ("$finished", SqliteValues.ToText(evaluation.FinishedAt)),
                    ("$outcome", SqliteValues.ToDb(evaluation.Outcome)),
                    ("$detail", SqliteValues.ToDb(evaluation.Detail)),
                    ("$score", SqliteValues.ToDb(evaluation.Score)),
                    ("$name", SqliteValues.ToDb(evaluation.ScoreName)),
                    ("$model", SqliteValues.ToDb(evaluation.ModelPath)),
                    ("$sha", SqliteValues.ToDb(evaluation.ModelSha256)),
                    ("$data", SqliteValues.ToDb(evaluation.DataDirectory)),
                    ("$report", SqliteValues.ToDb(evaluation.ReportJson)),
                    ("$environment", SqliteValues.ToDb(evaluation.EnvironmentJson)));
                return await InsertAsync(command, "evaluation", evaluation.RunId, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync<IReadOnlyList<EvaluationRecord>>(
            async connection =>
            {
                using var command = Command(connection, $"SELECT {StoreRows.EvaluationColumns} FROM evaluations WHERE run_id = $run ORDER BY id", ("$run", runId));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var list = new List<EvaluationRecord>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(StoreRows.ReadEvaluation(reader));
                }

                return list;
            },
            cancellationToken);
    }
}
