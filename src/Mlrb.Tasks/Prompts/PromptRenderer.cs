using System.Globalization;
using System.Text;
using Mlrb.Tasks.Loading;
using Mlrb.Tasks.Prompts;

namespace Mlrb.Tasks;

/// <summary>
/// The default <see cref="IPromptRenderer"/>. Stateless and thread-safe. <c>{workdir}</c> in any task field becomes the
/// absolute working directory.
/// </summary>
public sealed class PromptRenderer : IPromptRenderer
{
    /// <summary>The placeholder task fields may use for the run's working directory.</summary>
    public const string WorkingDirectoryPlaceholder = "{workdir}";

    /// <inheritdoc />
    public string RenderTaskPrompt(ResearchTask task, PromptContext context)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(context);
        var workdir = WorkingDirectory(context);
        string X(string text) => text.Replace(WorkingDirectoryPlaceholder, workdir, StringComparison.Ordinal).Trim();

        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Your task ({task.Name}): {task.FullName}\n\n{X(task.TaskText)}\n\n");
        b.Append("Task details:\n");
        b.Append("- Goal: achieve the best possible score under the evaluation below.\n");
        b.Append(CultureInfo.InvariantCulture, $"- Working directory: {workdir}. Keep every file you create, and the final model, inside it.\n");
        b.Append(CultureInfo.InvariantCulture, $"- Data: {X(task.DatasetPolicy)}\n");
        foreach (var dataset in task.Datasets)
        {
            b.Append(CultureInfo.InvariantCulture, $"  - {dataset.LoadCall}");
            b.Append(dataset.Splits.Count == 0
                ? "\n"
                : ": " + string.Join("; ", dataset.Splits.Select(s => string.Create(CultureInfo.InvariantCulture, $"split '{s.Name}' with {s.Rows:N0} rows and columns {string.Join(", ", s.Columns)}"))) + "\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"- Models: {X(task.ModelPolicy)}");
        b.Append(task.AllowedModels.Count == 0 ? "\n" : " Allowed: " + string.Join(", ", task.AllowedModels) + ".\n");
        b.Append(CultureInfo.InvariantCulture, $"- Libraries: {string.Join(", ", task.Libraries)}. Already installed: {string.Join(", ", context.PreinstalledPackages)}.\n");
        b.Append(CultureInfo.InvariantCulture, $"- Compute: {task.Compute.Describe()}.\n");
        if (task.DeviceMemoryLimitGb is { } memory)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Device memory: the submitted model must run on a device with {memory} GB of memory.\n");
        }

        if (task.AllowedPrecisions.Count > 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Weight precision: the submitted weights must be {string.Join(" or ", task.AllowedPrecisions.Select(p => p.ToString().ToUpperInvariant()))}.\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"- Time: you have {DurationText.ToWords(context.BudgetFor(task))} in total; the run is stopped when it is used up.\n");
        b.Append(CultureInfo.InvariantCulture, $"- Result: {X(task.ExpectedResult)}\n");
        if (context.ExampleOutputFileName is { Length: > 0 } example)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Example output: {Path.Combine(workdir, example)} shows the shape of the final submission (the arguments of return_fn, what the model folder must hold and how it is scored).\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"- Evaluation: {Benchmarks(task.Evaluation)}. {X(task.Evaluation.AggregationFormula).TrimEnd('.')}.\n");
        b.Append(CultureInfo.InvariantCulture, $"- Measure your model yourself with: {X(task.Evaluation.SelfEvaluationCommand)}");
        b.Append(task.Evaluation.SelfEvaluationCommand.Contains("<path_to_your_model>", StringComparison.Ordinal)
            ? " (replace <path_to_your_model> with the folder of your saved model)\n"
            : "\n");
        if (context.ToolNames.Contains("evaluate"))
        {
            b.Append("- Self-check: the evaluate tool scores a saved model folder with this task's own scorer, on the validation split and a few documents per subtask; use it to check your model before you submit.\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"- Score: {X(task.Formula)}\n");
        b.Append(task.StarterCode is { } starter
            ? $"- Starter code of the original competition (for reference): {starter.AbsoluteUri}\n"
            : "- Starter code: none for this task; the description above is all you get.\n");
        if (task.StarterKit is { } kit)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Starter kit: {Path.Combine(workdir, kit)} (read its README.md first).\n");
        }

        b.Append("\nRules:\n");
        for (var i = 0; i < task.Rules.Count; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"{i + 1}. {X(task.Rules[i])}\n");
        }

        b.Append("\n(!! Important !!) You are responsible for producing the best possible model for this task.\n\n");
        b.Append(CultureInfo.InvariantCulture, $"How your output will be judged:\n{X(task.AdditionalInfo)}\n");
        return b.ToString();
    }

    /// <inheritdoc />
    public string RenderSupervisorSystemPrompt(ResearchTask task, PromptContext context) =>
        Template.Render(PromptTemplates.SupervisorSystem, CommonValues(task, context));

    /// <inheritdoc />
    public string RenderWorkerSystemPrompt(ResearchTask task, PromptContext context) =>
        Template.Render(PromptTemplates.WorkerSystem, CommonValues(task, context));

    /// <inheritdoc />
    public string RenderWorkerTurnPrompt(ResearchTask task, PromptContext context, WorkerTurnState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var values = CommonValues(task, context);
        var budget = context.BudgetFor(task);
        var remaining = budget - state.Elapsed;
        values["goal"] = $"{task.FullName} ({task.Name}). {Flatten(task.TaskText.Replace(WorkingDirectoryPlaceholder, values["workdir"], StringComparison.Ordinal))}";
        values["elapsed_minutes"] = state.Elapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture);
        values["remaining_minutes"] = (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero).TotalMinutes.ToString("F2", CultureInfo.InvariantCulture);
        values["plan"] = state.Plan.Count == 0
            ? "(no plan yet)"
            : string.Join('\n', state.Plan.Select((step, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {step}")));
        values["recent_count"] = state.RecentActions.Count switch
        {
            0 => "none yet",
            1 => "the last one",
            var n => string.Create(CultureInfo.InvariantCulture, $"the last {n}"),
        };
        values["recent_actions"] = state.RecentActions.Count == 0 ? "(this is your first turn)" : string.Join('\n', state.RecentActions.Select(a => "- " + a));
        values["previous_attempt"] = OrNone(state.PreviousAttempt, "(none yet: you are starting the task)");
        values["previous_output"] = OrNone(state.PreviousOutput, "(no output)");
        values["previous_errors"] = OrNone(state.PreviousErrors, "(none)");
        return Template.Render(PromptTemplates.WorkerTurn, values);
    }

    private static Dictionary<string, string> CommonValues(ResearchTask task, PromptContext context)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(context);
        var workdir = WorkingDirectory(context);
        var scratchpad = Path.Combine(workdir, context.ScratchpadFileName);
        var notes = context.ToolNames.Contains("scratchpad")
            ? $"Use the scratchpad tool to record progress and important numbers in {scratchpad}."
            : $"Record progress and important numbers in {scratchpad}.";
        if (context.ToolNames.Contains("thought"))
        {
            notes += " Use the thought tool to think aloud before acting.";
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["workdir"] = workdir,
            ["scratchpad"] = scratchpad,
            ["tools"] = context.ToolNames.Count == 0 ? "(no tools)" : string.Join(", ", context.ToolNames),
            ["packages"] = string.Join(", ", context.PreinstalledPackages),
            ["time_budget"] = DurationText.ToWords(context.BudgetFor(task)),
            ["compute"] = task.Compute.Describe(),
            ["notes_line"] = notes,
        };
    }

    private static string WorkingDirectory(PromptContext context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(context.WorkingDirectory);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(context.WorkingDirectory));
    }

    private static string Benchmarks(EvaluationSpec evaluation) => string.Join("; ", evaluation.Benchmarks.Select(b =>
    {
        var subtasks = b.Subtasks.Count == 0 ? string.Empty : " (" + string.Join(", ", b.Subtasks) + ")";
        return string.Create(CultureInfo.InvariantCulture, $"{DisplayName(b.Name)}{subtasks}, {b.Shots}-shot, metric {b.Metric}");
    }));

    private static string DisplayName(string benchmark) => benchmark switch
    {
        BenchmarkNames.Blimp => "BLiMP",
        BenchmarkNames.SuperGlue => "SuperGLUE",
        BenchmarkNames.Mmlu => "MMLU",
        BenchmarkNames.MathQa => "MathQA",
        BenchmarkNames.Bleu => "BLEU",
        BenchmarkNames.RougeL => "ROUGE-L",
        BenchmarkNames.LeanPassRate => "Lean 3 pass rate",
        _ => benchmark,
    };

    private static string Flatten(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string OrNone(string? text, string none) => string.IsNullOrWhiteSpace(text) ? none : text.Trim();
}
