using System.Globalization;
using System.Text;
using System.Text.Json;
using Mlrb.Eval.Benchmarks;
using Mlrb.Tasks;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools;
using Mlrb.Tools.Evaluation;

namespace Mlrb.Cli.Commands.Scoring;

/// <summary>
/// The <c>evaluate</c> tool's scorer in <c>mlrb run</c>: <c>mlrb eval --task T --split validation --limit N --json</c> in a
/// child process (<see cref="EvalChildProcess"/>: own process group, no API keys, the tool's time limit, the scoring
/// memory limit), read back into a short text for the agent. Never the test split; text-generation tasks, whose only
/// held-out items are the final score's, are refused. The report file goes beside the workspace, not into it.
/// </summary>
/// <param name="task">The run's task.</param>
/// <param name="settings">Evaluation data, task folders, memory limit and threads (its time limit and document limit are the tool's).</param>
internal sealed class ChildSelfEvaluator(ResearchTask task, ScoringSettings settings) : ISelfEvaluator
{
    private const string Tool = "evaluate";

    /// <inheritdoc />
    public async Task<ToolResult> EvaluateAsync(SelfEvaluationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        TaskEvaluationPlan plan;
        try
        {
            plan = TaskEvaluationPlan.For(task);
        }
        catch (ArgumentException ex)
        {
            return Fail($"{task.Name} cannot be scored by Mlrb.Eval: {ex.Message}");
        }

        if (plan.Benchmarks.Any(b => b.Kind == BenchmarkKind.TextGeneration))
        {
            return Fail($"{task.Name} is scored on text the model generates for held-out items, and those items are the final score's: there is no separate validation split, so evaluate cannot check this task. Measure your model yourself as the task describes.");
        }

        var data = Path.GetFullPath(settings.DataDirectory);
        if (!Directory.Exists(data))
        {
            return Fail("no evaluation data is available in this run (the benchmark data folder is not set up on this machine; the operator gives it with mlrb run --eval-data DIR), so evaluate cannot score models here. Measure your model yourself as the task describes.");
        }

        var workspace = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.Context.WorkspacePath));
        var output = Path.Combine(Path.GetDirectoryName(workspace) ?? workspace, (request.Context.RunId ?? Path.GetFileName(workspace)) + "-evaluate");
        var args = new List<string>
        {
            "eval", "--task", task.Name, "--model", request.ModelDirectory, "--data", data, "--split", "validation",
            "--limit", request.Limit.ToString(CultureInfo.InvariantCulture), "--output", output, "--json",
        };
        foreach (var dir in settings.TaskDirectories)
        {
            args.AddRange(["--tasks-dir", Path.GetFullPath(dir)]);
        }

        if (settings.Threads is { } threads)
        {
            args.AddRange(["--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        }

        var memory = settings.MemoryLimitBytes ?? SubmissionScoring.DefaultMemoryLimit(plan);
        var child = await EvalChildProcess.RunAsync(args, request.Timeout, memory, cancellationToken).ConfigureAwait(false);
        return Interpret(request, plan, child, memory);
    }

    private ToolResult Interpret(SelfEvaluationRequest request, TaskEvaluationPlan plan, EvalChildResult child, long memory)
    {
        if (child.StartError is { } error)
        {
            return Fail(error);
        }

        if (child.TimedOut)
        {
            return new ToolResult
            {
                Tool = Tool,
                Status = ToolStatus.TimedOut,
                Stderr = string.Create(CultureInfo.InvariantCulture, $"{Tool}: scoring '{request.ModelPath}' did not finish within {request.Timeout:g} and was stopped; try a smaller limit (now {request.Limit})."),
            };
        }

        if (child.MemoryExceededBytes is { } rss)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"scoring '{request.ModelPath}' used {rss / 1048576.0:0} MiB, over the scorer's memory limit of {memory / 1048576.0:0} MiB, and was stopped."));
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
            return Fail($"the scorer stopped (exit code {child.ExitCode}) without a result for '{request.ModelPath}': {last}");
        }

        var outcome = Text(json, "outcome") ?? "evaluation_error";
        if (outcome != "scored" || !json.TryGetProperty("score", out var score) || score.ValueKind != JsonValueKind.Object)
        {
            var b = new StringBuilder();
            b.Append(CultureInfo.InvariantCulture, $"'{request.ModelPath}' was not scored ({outcome}): {Text(json, "detail") ?? "no detail"}");
            if (json.TryGetProperty("violations", out var violations) && violations.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in violations.EnumerateArray())
                {
                    b.Append(CultureInfo.InvariantCulture, $"\n- rule {Text(v, "rule")}: {Text(v, "message")}");
                }
            }

            return Fail(b.ToString());
        }

        return ToolResult.Ok(Tool, Summary(request, plan, json, score));
    }

    private string Summary(SelfEvaluationRequest request, TaskEvaluationPlan plan, JsonElement json, JsonElement score)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Self-check of '{request.ModelPath}' for {task.Name}: validation split, at most {request.Limit} documents per subtask.\n");
        b.Append(CultureInfo.InvariantCulture, $"score ({Text(score, "name")}): {Number(score, "value")}\n");
        if (json.TryGetProperty("aggregates", out var aggregates) && aggregates.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in aggregates.EnumerateArray())
            {
                b.Append(CultureInfo.InvariantCulture, $"{Text(a, "name")}: {Number(a, "value")} (stderr {Number(a, "stderr")})\n");
            }
        }

        if (json.TryGetProperty("subtasks", out var subtasks) && subtasks.ValueKind == JsonValueKind.Array)
        {
            b.Append("subtasks:\n");
            foreach (var s in subtasks.EnumerateArray())
            {
                var metrics = s.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object
                    ? string.Join(", ", m.EnumerateObject().Select(p => $"{p.Name} {Number(p.Value, "value")}"))
                    : "";
                b.Append(CultureInfo.InvariantCulture, $"- {Text(s, "name")} ({(s.TryGetProperty("documents", out var d) ? d.GetRawText() : "?")} documents): {metrics}\n");
            }
        }

        foreach (var note in SplitNotes(plan))
        {
            b.Append("note: ").Append(note).Append('\n');
        }

        b.Append("This is an estimate from a few documents; the final score uses all of the task's test data.\n");
        return b.ToString();
    }

    /// <summary>Which files the validation split reads, per benchmark of the plan.</summary>
    internal static IEnumerable<string> SplitNotes(TaskEvaluationPlan plan) => plan.Benchmarks.Select(b => b.Kind).Distinct().Select(kind => kind switch
    {
        BenchmarkKind.Mmlu => "MMLU: the val split (the final score uses test).",
        BenchmarkKind.MathQa => "MathQA: the dev/validation split (the final score uses test).",
        BenchmarkKind.Blimp => "BLiMP has a single split: these documents are also in the final score.",
        BenchmarkKind.SuperGlue => "SuperGLUE is scored on its validation split (as the harness does): these documents are also in the final score.",
        _ => kind.ToString(),
    });

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Number(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble().ToString("0.0000", CultureInfo.InvariantCulture)
            : "n/a";

    private static ToolResult Fail(string message) => ToolResult.Failure(Tool, $"{Tool}: {message}");
}
