using System.Globalization;
using Mlrb.Tasks;

namespace Mlrb.Cli.Commands.Tasks;

/// <summary>The text of <c>mlrb tasks show</c>: every field, then the rendered task prompt.</summary>
internal static class TaskDetailsView
{
    private const int LabelWidth = 18;

    public static void Write(TextWriter output, ResearchTask task, string workdir, string prompt)
    {
        string X(string text) => text.Replace(PromptRenderer.WorkingDirectoryPlaceholder, workdir, StringComparison.Ordinal).Trim();

        output.WriteLine($"{task.Name}: {task.FullName}");
        output.WriteLine();
        Field(output, "Suite", task.Suite == BenchmarkSuite.Full ? "full benchmark" : $"mini benchmark (variant of {task.BaseTask})");
        Field(output, "Task", X(task.TaskText));
        Field(output, "Dataset policy", X(task.DatasetPolicy));
        Field(output, "Datasets", task.Datasets.Count == 0 ? "none provided" : string.Join('\n', task.Datasets.Select(Dataset)));
        Field(output, "Model policy", X(task.ModelPolicy));
        Field(output, "Allowed models", task.AllowedModels.Count == 0 ? "any (see the model policy)" : string.Join(", ", task.AllowedModels));
        Field(output, "Libraries", string.Join(", ", task.Libraries));
        Field(output, "Compute", task.Compute.Describe());
        Field(output, "Time limit", TaskText.Duration(task.TimeLimit));
        Field(output, "Expected result", X(task.ExpectedResult));
        Field(output, "Rules", string.Join('\n', task.Rules.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {X(r)}"))));
        Field(output, "Benchmarks", string.Join('\n', task.Evaluation.Benchmarks.Select(b =>
            string.Create(CultureInfo.InvariantCulture, $"{b.Name}, {b.Shots}-shot, metric {b.Metric}{(b.Subtasks.Count == 0 ? string.Empty : ", subtasks " + string.Join(", ", b.Subtasks))}"))));
        Field(output, "Aggregation", $"{Words(task.Evaluation.Aggregation.ToString())}: {X(task.Evaluation.AggregationFormula)}");
        Field(output, "Self-evaluation", X(task.Evaluation.SelfEvaluationCommand));
        Field(output, "Formula", X(task.Formula));
        Field(output, "Additional info", X(task.AdditionalInfo));
        Field(output, "Starter code", task.StarterCode?.AbsoluteUri ?? "none");
        Field(output, "Starter kit", task.StarterKit is { } kit ? $"{kit} (written to {Path.Combine(workdir, kit)})" : "none");
        Field(output, "Device memory", task.DeviceMemoryLimitGb is { } gb ? string.Create(CultureInfo.InvariantCulture, $"{gb} GB") : "no limit");
        Field(output, "Weight precision", task.AllowedPrecisions.Count == 0 ? "any" : string.Join(", ", task.AllowedPrecisions.Select(p => p.ToString().ToUpperInvariant())));
        Field(output, "Spec choices", task.Choices.Count == 0
            ? "none"
            : string.Join('\n', task.Choices.Select(c => $"[{c.Field}] {c.Conflict} Chosen: {c.Choice}")));
        output.WriteLine();
        output.WriteLine($"Task prompt (working directory {workdir}):");
        output.WriteLine(new string('-', 72));
        output.Write(prompt);
    }

    private static string Words(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Dataset(DatasetRef dataset)
    {
        var splits = dataset.Splits.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Rows:N0} rows [{string.Join(", ", s.Columns)}]"));
        return dataset.Splits.Count == 0 ? dataset.LoadCall : dataset.LoadCall + ": " + string.Join("; ", splits);
    }

    private static void Field(TextWriter output, string label, string value)
    {
        var lines = value.Split('\n');
        output.WriteLine((label + ":").PadRight(LabelWidth) + lines[0].TrimEnd());
        foreach (var line in lines.Skip(1))
        {
            output.WriteLine(new string(' ', LabelWidth) + line.TrimEnd());
        }
    }
}
