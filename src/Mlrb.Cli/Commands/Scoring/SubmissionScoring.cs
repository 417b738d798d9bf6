using System.Globalization;
using System.Text.Json;
using Mlrb.Agents;
using Mlrb.Eval.Benchmarks;
using Mlrb.Tasks;
using Mlrb.Tasks.Provenance;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Commands.Scoring;

/// <summary>
/// Scores a stored run's submission: finds the model folder the agent returned, scores it by the run's task in a child
/// <c>mlrb eval</c> process (<see cref="EvalChildProcess"/>), and stores the evaluation and the run's outcome and score.
/// Whatever happens to the child (crash, timeout, memory), the run store is written by this process only.
/// </summary>
internal static class SubmissionScoring
{
    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>How the scoring child is confined, as recorded in the evaluation's environment.</summary>
    public const string EvaluationSandbox = "evaluation child process (own process group, no API keys, time and memory limits)";

    /// <summary>The child's memory limit when none is given: twice the task's limit (the engine holds FP16 weights as FP32) plus 2 GiB for the runtime.</summary>
    public static long DefaultMemoryLimit(TaskEvaluationPlan plan) => ((plan.MemoryLimitBytes ?? 40 * GiB) * 2) + (2 * GiB);

    /// <summary>Scores the run and stores the result; returns the evaluation as stored.</summary>
    public static async Task<EvaluationRecord> ScoreAsync(IRunStore store, string runId, ScoringSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"there is no run '{runId}' in the store.");
        var started = DateTimeOffset.UtcNow;
        var model = ModelPath(run)
            ?? throw new ArgumentException($"run '{runId}' has no submission to score (outcome: {run.Outcome?.ToName() ?? "none yet"}{(run.OutcomeDetail is null ? "" : ", " + run.OutcomeDetail)}).");
        // The machine the scoring ran on is recorded with the evaluation (captured beside it: nvidia-smi and git are quick).
        var environment = HostEnvironment.CaptureAsync(run.WorkspacePath, CancellationToken.None);
        var evaluation = await EvaluateAsync(run, model, settings, started, log, cancellationToken).ConfigureAwait(false);
        evaluation = evaluation with { EnvironmentJson = ((await environment.ConfigureAwait(false)) with { Sandbox = EvaluationSandbox }).ToJson() };
        return await SaveAsync(store, run, evaluation).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores an evaluation of <paramref name="run"/>'s submission made elsewhere (the merged shards of
    /// <c>mlrb eval merge --run</c>): <paramref name="report"/> is what <c>mlrb eval --json</c> prints, or null with
    /// <paramref name="failure"/> saying why there is no report. No environment is recorded: the shards may have run on
    /// other machines than this one.
    /// </summary>
    public static Task<EvaluationRecord> SaveReportAsync(IRunStore store, RunRecord run, string model, string? report, string? failure, ScoringSettings settings, DateTimeOffset started)
    {
        var child = report is null ? new EvalChildResult { StartError = failure ?? "no evaluation report" } : new EvalChildResult { Stdout = report };
        return SaveAsync(store, run, Interpret(run, model, child, settings, started, 0));
    }

    private static async Task<EvaluationRecord> SaveAsync(IRunStore store, RunRecord run, EvaluationRecord evaluation)
    {
        evaluation = evaluation with { Id = await store.AddEvaluationAsync(evaluation, CancellationToken.None).ConfigureAwait(false) };

        var result = run.ResultJson is null ? null : AgentRunResult.FromJson(run.ResultJson) with
        {
            Outcome = evaluation.Outcome,
            OutcomeDetail = evaluation.Detail,
            Score = evaluation.Score,
            ScoreName = evaluation.ScoreName,
        };
        await store.UpdateRunAsync(
            run with
            {
                Outcome = evaluation.Outcome,
                OutcomeDetail = evaluation.Detail,
                Score = evaluation.Outcome == RunOutcome.Scored ? evaluation.Score : null,
                ResultJson = result?.ToJson() ?? run.ResultJson,
            },
            CancellationToken.None).ConfigureAwait(false);
        return evaluation;
    }

    /// <summary>The submitted model folder (absolute), or null when the run made no submission.</summary>
    public static string? ModelPath(RunRecord run)
    {
        if (run.ResultJson is null || AgentRunResult.FromJson(run.ResultJson).Submission is not { } submission)
        {
            return null;
        }

        return Path.GetFullPath(Path.IsPathRooted(submission.ModelPath) ? submission.ModelPath : Path.Combine(run.WorkspacePath, submission.ModelPath));
    }

    private static async Task<EvaluationRecord> EvaluateAsync(RunRecord run, string model, ScoringSettings settings, DateTimeOffset started, TextWriter log, CancellationToken cancellationToken)
    {
        var workspace = Path.GetFullPath(run.WorkspacePath);
        if (!model.StartsWith(Path.TrimEndingDirectorySeparator(workspace) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && model != workspace)
        {
            return Record(run, started, RunOutcome.InvalidSubmission, $"model_folder: {model} is outside the run's workspace {workspace}", model, null, settings);
        }

        if (!Directory.Exists(model))
        {
            return Record(run, started, RunOutcome.InvalidSubmission, $"model_folder: model folder not found: {model}", model, null, settings);
        }

        TaskCatalog catalog;
        try
        {
            catalog = settings.TaskDirectories.Count == 0 ? TaskCatalog.Builtin : TaskCatalog.WithTaskDirectories(settings.TaskDirectories);
        }
        catch (Exception ex) when (ex is TaskFileException or DirectoryNotFoundException or IOException)
        {
            return Record(run, started, RunOutcome.EvaluationError, "the task files could not be read: " + ex.Message, model, null, settings);
        }

        if (!catalog.TryGet(run.TaskName, out var task))
        {
            return Record(run, started, RunOutcome.EvaluationError, $"task '{run.TaskName}' is not in the catalog (a task from a task file needs --tasks-dir)", model, null, settings);
        }

        var plan = TaskEvaluationPlan.For(task);
        var memory = settings.MemoryLimitBytes ?? DefaultMemoryLimit(plan);
        var output = Path.Combine(Path.GetDirectoryName(workspace) ?? workspace, run.RunId + "-eval");
        var args = new List<string> { "eval", "--task", task.Name, "--model", model, "--data", Path.GetFullPath(settings.DataDirectory), "--output", output, "--json" };
        foreach (var dir in settings.TaskDirectories)
        {
            args.AddRange(["--tasks-dir", Path.GetFullPath(dir)]);
        }

        if (settings.Limit is { } limit)
        {
            args.AddRange(["--limit", limit.ToString(CultureInfo.InvariantCulture)]);
        }

        if (settings.Threads is { } threads)
        {
            args.AddRange(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        }

        await log.WriteLineAsync($"mlrb: scoring {model} for {task.Name} in a child process (time limit {settings.Timeout}, memory limit {memory / (double)GiB:0.#} GiB)...").ConfigureAwait(false);
        var child = await EvalChildProcess.RunAsync(args, settings.Timeout, memory, cancellationToken).ConfigureAwait(false);
        return Interpret(run, model, child, settings, started, memory);
    }

    private static EvaluationRecord Interpret(RunRecord run, string model, EvalChildResult child, ScoringSettings settings, DateTimeOffset started, long memory)
    {
        if (child.StartError is { } error)
        {
            return Record(run, started, RunOutcome.EvaluationError, error, model, null, settings);
        }

        if (child.TimedOut)
        {
            return Record(run, started, RunOutcome.EvaluationError, $"the evaluation did not finish within its time limit of {settings.Timeout}; its process group was killed", model, null, settings);
        }

        if (child.MemoryExceededBytes is { } rss)
        {
            return Record(run, started, RunOutcome.EvaluationError, string.Create(CultureInfo.InvariantCulture, $"the evaluation process used {rss:N0} bytes, over its memory limit of {memory:N0}; its process group was killed"), model, null, settings);
        }

        JsonElement json;
        try
        {
            using var doc = JsonDocument.Parse(child.Stdout);
            json = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            var last = child.StderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
            return Record(run, started, RunOutcome.EvaluationError, $"the evaluation process crashed (exit code {child.ExitCode}) without a result: {last}", model, null, settings);
        }

        var outcome = json.TryGetProperty("outcome", out var o) && RunOutcomes.TryParse(o.GetString(), out var parsed) ? parsed.Value : RunOutcome.EvaluationError;
        string? detail = json.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        double? score = null;
        string? scoreName = null;
        if (outcome == RunOutcome.Scored && json.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            score = s.GetProperty("value").GetDouble();
            scoreName = s.GetProperty("name").GetString();
        }

        if (outcome == RunOutcome.Scored && score is null)
        {
            (outcome, detail) = (RunOutcome.EvaluationError, "the evaluation reported no score");
        }

        if (outcome == RunOutcome.Scored && settings.Limit is { } limit)
        {
            detail = string.Create(CultureInfo.InvariantCulture, $"scored on the first {limit} documents of each subtask (--eval-limit)");
        }

        return Record(run, started, outcome, detail, model, json, settings) with
        {
            Score = score,
            ScoreName = scoreName,
            ModelSha256 = json.TryGetProperty("model", out var m) && m.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null,
        };
    }

    private static EvaluationRecord Record(RunRecord run, DateTimeOffset started, RunOutcome outcome, string? detail, string? model, JsonElement? report, ScoringSettings settings) => new()
    {
        RunId = run.RunId,
        StartedAt = started,
        FinishedAt = DateTimeOffset.UtcNow,
        Outcome = outcome,
        Detail = detail,
        ModelPath = model,
        DataDirectory = Path.GetFullPath(settings.DataDirectory),
        ReportJson = report?.GetRawText(),
    };
}
