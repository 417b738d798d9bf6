using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

internal sealed partial class PostgresRunStore
{

    /// <inheritdoc />
    public Task<long> AddEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var token = Guid.NewGuid();
        return WithConnectionAsync(
            (connection, ct) => InsertAsync(
                connection,
                """
                INSERT INTO evaluations (run_id, started_at, finished_at, outcome, detail, score, score_name, model_path, model_sha256, data_directory, report_json, environment_json, client_token)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                ON CONFLICT (client_token) DO UPDATE SET client_token = EXCLUDED.client_token
                RETURNING id
                """,
                "evaluation",
                evaluation.RunId,
                ct,
                evaluation.RunId,
                PostgresValues.Utc(evaluation.StartedAt),
                PostgresValues.Utc(evaluation.FinishedAt),
                PostgresValues.Name(evaluation.Outcome),
                evaluation.Detail,
                PostgresValues.Finite(evaluation.Score),
                evaluation.ScoreName,
                evaluation.ModelPath,
                evaluation.ModelSha256,
                evaluation.DataDirectory,
                evaluation.ReportJson,
                evaluation.EnvironmentJson,
                token),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnectionAsync<IReadOnlyList<EvaluationRecord>>(
            async (connection, ct) =>
            {
                await using var command = Command(connection, $"SELECT {StoreRows.EvaluationColumns} FROM evaluations WHERE run_id = $1 ORDER BY id", runId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<EvaluationRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(StoreRows.ReadEvaluation(reader));
                }

                return list;
            },
            cancellationToken);
    }
}
