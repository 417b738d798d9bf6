using System.Text.Json.Nodes;
using Mlrb.Cli.Commands.Scoring;
using Mlrb.Eval.Benchmarks;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>
/// Sharded scoring of a stored run's submission, for cluster jobs (<c>mlrb bench --emit … --shards N</c>):
/// <c>mlrb eval --run ID --shard I/N</c> scores shard I of the run's model into the run's shard folder
/// (<c>&lt;workdir&gt;/&lt;run-id&gt;-eval-shards</c>, next to its workspace), and <c>mlrb eval merge --run ID</c> merges
/// the N partial reports found there and stores the score (or why there is none) with the run, as <c>mlrb run</c> does.
/// </summary>
internal static class RunShardEval
{
    /// <summary>The marker a shard writes when the submission breaks a task rule or does not load (no partial report then).</summary>
    public const string InvalidSubmissionFile = "invalid-submission.json";

    /// <summary>Where the shards of <paramref name="run"/> are written.</summary>
    public static string ShardFolder(RunRecord run)
    {
        var workspace = Path.TrimEndingDirectorySeparator(Path.GetFullPath(run.WorkspacePath));
        return Path.Combine(Path.GetDirectoryName(workspace) ?? workspace, run.RunId + "-eval-shards");
    }

    /// <summary>Scores one shard of the run's submission; 0 when scored or when the run has nothing to score.</summary>
    public static async Task<int> ScoreShardAsync(string runId, string location, EvalSettings template, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        RunRecord run;
        await using (var store = await OpenAsync(location, cancellationToken).ConfigureAwait(false))
        {
            run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"there is no run '{runId}' in {StoreLocations.Describe(location)}.");
        }

        if (Model(run) is not { } model)
        {
            await error.WriteLineAsync($"mlrb eval: run '{runId}' has no submission to score (outcome: {run.Outcome?.ToName() ?? "none yet"}); nothing to do.").ConfigureAwait(false);
            return 0;
        }

        var folder = ShardFolder(run);
        var settings = template with { Task = run.TaskName, Benchmark = null, Model = model, Output = folder, Json = true };
        using var captured = new StringWriter();
        var code = await EvalRunner.RunAsync(settings, captured, error, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(captured.ToString()).ConfigureAwait(false);
        if (code == EvalRunner.InvalidSubmission)
        {
            // No partial report: the merge finds this instead and stores the run as invalid_submission with the reason.
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, InvalidSubmissionFile), captured.ToString(), CancellationToken.None).ConfigureAwait(false);
            return 0;
        }

        return code;
    }

    /// <summary>Merges the run's shards and stores the evaluation; 0 when an outcome was stored (or there was nothing to score).</summary>
    public static async Task<int> MergeAsync(string runId, string location, IReadOnlyList<string> files, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var store = await OpenAsync(location, cancellationToken).ConfigureAwait(false);
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"there is no run '{runId}' in {StoreLocations.Describe(location)}.");
        if (Model(run) is not { } model)
        {
            await error.WriteLineAsync($"mlrb eval merge: run '{runId}' has no submission to score (outcome: {run.Outcome?.ToName() ?? "none yet"}); nothing to do.").ConfigureAwait(false);
            return 0;
        }

        var started = DateTimeOffset.UtcNow;
        var folder = ShardFolder(run);
        var invalid = Path.Combine(folder, InvalidSubmissionFile);
        string? report = null;
        string? failure = null;
        JsonObject? options = null;
        if (files.Count == 0 && File.Exists(invalid))
        {
            report = await File.ReadAllTextAsync(invalid, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var shards = files.Count > 0 ? files : Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.shard-*-of-*.json").Order(StringComparer.Ordinal)] : [];
            if (shards.Count == 0)
            {
                failure = $"no shard reports in {folder}: the evaluation array did not score this run (see its logs)";
            }
            else
            {
                options = ShardOptions(shards[0]);
                using var merged = new StringWriter();
                using var mergeError = new StringWriter();
                try
                {
                    var code = await EvalMerge.RunAsync(shards, json: true, Path.Combine(Path.GetDirectoryName(folder)!, runId + "-eval"), merged, mergeError, cancellationToken).ConfigureAwait(false);
                    if (code == 0)
                    {
                        report = merged.ToString();
                    }
                    else
                    {
                        failure = "the merged shards give no score: " + mergeError.ToString().Trim();
                    }
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
                {
                    failure = "the shards could not be merged: " + ex.Message.TrimEnd('.');
                }
            }
        }

        var settings = new ScoringSettings
        {
            DataDirectory = options?["data"]?.GetValue<string>() ?? Path.GetDirectoryName(folder)!,
            Limit = options?["limit"]?.GetValue<int?>(),
        };
        var evaluation = await SubmissionScoring.SaveReportAsync(store, run, model, report, failure, settings, started).ConfigureAwait(false);
        var score = evaluation.Score is { } s ? " " + s.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) + $" ({evaluation.ScoreName})" : "";
        await output.WriteLineAsync($"run {runId}: {evaluation.Outcome.ToName()}{score}{(evaluation.Detail is null ? "" : ": " + evaluation.Detail)}").ConfigureAwait(false);
        return 0;
    }

    private static async Task<IRunStore> OpenAsync(string location, CancellationToken cancellationToken)
    {
        if (!RunStoreFactory.IsPostgres(location) && !File.Exists(location))
        {
            throw new ArgumentException($"--db: run store not found: {location}");
        }

        return await RunStoreFactory.OpenAsync(location, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's submitted model folder, or null when it made none.</summary>
    private static string? Model(RunRecord run)
    {
        if (SubmissionScoring.ModelPath(run) is not { } model)
        {
            return null;
        }

        var workspace = Path.TrimEndingDirectorySeparator(Path.GetFullPath(run.WorkspacePath));
        return model == workspace || model.StartsWith(workspace + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? model
            : throw new ArgumentException($"run '{run.RunId}' submitted {model}, outside its workspace {workspace}; score it with mlrb eval --run (unsharded) to record that.");
    }

    private static JsonObject? ShardOptions(string shardFile)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(shardFile))?["shard"]?["options"] as JsonObject;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
