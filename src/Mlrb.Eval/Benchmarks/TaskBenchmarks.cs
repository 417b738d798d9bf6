namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// Which benchmark scores each task (the benchmark the task's prompt names), with its memory limit and dtype rule.
/// A <c>mini_</c> prefix maps like the full task.
/// </summary>
public static class TaskBenchmarks
{
    private const long GiB = 1024L * 1024 * 1024;
    private const string A100 = "one A100 40GB GPU (task compute)";

    private static readonly Dictionary<string, TaskEvaluationPlan> Plans = new TaskEvaluationPlan[]
    {
        new("llm_efficiency", BenchmarkKind.Mmlu, 40 * GiB, A100, false),
        new("llm_merging", BenchmarkKind.Mmlu, 40 * GiB, A100, false),
        new("edge_llm_compression", BenchmarkKind.Mmlu, 12 * GiB, "device with 12 GB DRAM (task text)", true),
        new("baby_lm", BenchmarkKind.Blimp, 40 * GiB, A100, false),
        new("mini_pile", BenchmarkKind.SuperGlue, 40 * GiB, A100, false),
        new("edge_llm_training", BenchmarkKind.SuperGlue, 1 * GiB, "device with 1 GB DRAM (task text)", true),
        new("math_reasoning", BenchmarkKind.TextGeneration, 40 * GiB, A100, false),
    }.ToDictionary(p => p.Task, StringComparer.Ordinal);

    /// <summary>The tasks that have a benchmark.</summary>
    public static IReadOnlyCollection<string> Tasks => Plans.Keys;

    /// <summary>Finds the plan of a task (<c>mini_</c> variants included).</summary>
    /// <param name="task">The task name.</param>
    /// <param name="plan">The plan, when found.</param>
    /// <returns>Whether the task is known.</returns>
    public static bool TryGet(string task, out TaskEvaluationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(task);
        var key = task.StartsWith("mini_", StringComparison.Ordinal) && Plans.ContainsKey(task[5..]) ? task[5..] : task;
        if (Plans.TryGetValue(key, out var found))
        {
            plan = found with { Task = task };
            return true;
        }

        plan = null!;
        return false;
    }

    /// <summary>The command-line name of a benchmark (<c>blimp</c>, <c>superglue</c>, <c>mmlu</c>, <c>text</c>).</summary>
    /// <param name="benchmark">The benchmark.</param>
    /// <returns>Its name.</returns>
    public static string Name(BenchmarkKind benchmark) => benchmark switch
    {
        BenchmarkKind.Blimp => "blimp",
        BenchmarkKind.SuperGlue => "superglue",
        BenchmarkKind.Mmlu => "mmlu",
        _ => "text",
    };

    /// <summary>Parses a benchmark name.</summary>
    /// <param name="name">blimp, superglue (or super_glue), mmlu.</param>
    /// <param name="benchmark">The benchmark.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string name, out BenchmarkKind benchmark)
    {
        switch (name?.ToLowerInvariant())
        {
            case "blimp":
                benchmark = BenchmarkKind.Blimp;
                return true;
            case "superglue" or "super_glue" or "super-glue-lm-eval-v1":
                benchmark = BenchmarkKind.SuperGlue;
                return true;
            case "mmlu":
                benchmark = BenchmarkKind.Mmlu;
                return true;
            default:
                benchmark = default;
                return false;
        }
    }
}
