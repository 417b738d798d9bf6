using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Cli.Commands.Scoring;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Commands.Eval;

/// <summary><c>mlrb eval --run ID</c>: scores (or re-scores) a stored run's submission in a child process and stores the result.</summary>
internal static class RunEvalRunner
{
    /// <summary>Runs; returns the exit code (0 scored, 3 invalid submission, 1 evaluation error).</summary>
    public static async Task<int> RunAsync(string runId, string database, ScoringSettings settings, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!RunStoreFactory.IsPostgres(database) && !File.Exists(database))
        {
            throw new ArgumentException($"--db: run store not found: {database}");
        }

        await using var store = await RunStoreFactory.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        var evaluation = await SubmissionScoring.ScoreAsync(store, runId, settings, error, cancellationToken).ConfigureAwait(false);
        var c = CultureInfo.InvariantCulture;
        if (json)
        {
            var node = new JsonObject
            {
                ["run_id"] = runId,
                ["evaluation_id"] = evaluation.Id,
                ["outcome"] = evaluation.Outcome.ToName(),
                ["detail"] = evaluation.Detail,
                ["score"] = evaluation.Score,
                ["score_name"] = evaluation.ScoreName,
                ["model_path"] = evaluation.ModelPath,
                ["model_sha256"] = evaluation.ModelSha256,
                ["data"] = evaluation.DataDirectory,
            };
            output.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            output.Write(MetricTable.Render(
                [
                    ("Run ID", runId),
                    ("Outcome", evaluation.Outcome.ToName()),
                    ("Score", evaluation.Score is { } s ? $"{s.ToString("0.0000", c)} ({evaluation.ScoreName})" : "0.0000 (counted as 0: not scored)"),
                    ("Detail", evaluation.Detail ?? ""),
                    ("Model", evaluation.ModelPath ?? ""),
                    ("Data", evaluation.DataDirectory ?? ""),
                ],
                $"evaluation {evaluation.Id} of run {runId}"));
        }

        return evaluation.Outcome switch
        {
            RunOutcome.Scored => 0,
            RunOutcome.InvalidSubmission => EvalRunner.InvalidSubmission,
            _ => 1,
        };
    }
}
