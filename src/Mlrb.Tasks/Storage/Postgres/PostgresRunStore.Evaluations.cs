using Npgsql;

namespace Mlrb.Tasks.Storage.Postgres;

internal sealed partial class PostgresRunStore
{
    private const string EvaluationColumns =
        "id, run_id, started_at, finished_at, outcome, detail, score, score_name, model_path, model_sha256, data_directory, report_json, environment_json";

    /// <inheritdoc />
    public Task<long> AddEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var token = Guid.NewGuid();
        return WithConnectionAsync(
            (connection, _, ct) => InsertAsync(
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
            async (connection, _, ct) =>
            {
                await using var command = Command(connection, $"SELECT {EvaluationColumns} FROM evaluations WHERE run_id = $1 ORDER BY id", runId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var list = new List<EvaluationRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(ReadEvaluation(reader));
                }

                return list;
            },
            cancellationToken);
    }

    private static EvaluationRecord ReadEvaluation(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RunId = reader.GetString(1),
        StartedAt = PostgresValues.Time(reader, 2),
        FinishedAt = PostgresValues.Time(reader, 3),
        Outcome = PostgresValues.OptionalOutcome(reader, 4) ?? Runs.RunOutcome.EvaluationError,
        Detail = PostgresValues.OptionalString(reader, 5),
        Score = PostgresValues.OptionalDouble(reader, 6),
        ScoreName = PostgresValues.OptionalString(reader, 7),
        ModelPath = PostgresValues.OptionalString(reader, 8),
        ModelSha256 = PostgresValues.OptionalString(reader, 9),
        DataDirectory = PostgresValues.OptionalString(reader, 10),
        ReportJson = PostgresValues.OptionalString(reader, 11),
        EnvironmentJson = PostgresValues.OptionalString(reader, 12),
    };
}
