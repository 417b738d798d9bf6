namespace Mlrb.Tasks;

/// <summary>One benchmark a task is scored on.</summary>
public sealed record BenchmarkSpec
{
    /// <summary>Benchmark name; see <see cref="BenchmarkNames"/> for the ones Mlrb.Eval knows.</summary>
    public required string Name { get; init; }

    /// <summary>Number of few-shot examples in each prompt.</summary>
    /// <remarks>
    /// The reference never passed <c>--num_fewshot</c>, so lm-evaluation-harness defaults applied: 0 for BLiMP,
    /// SuperGLUE and MMLU. The built-in tasks keep 0 so that scores stay comparable with the paper.
    /// </remarks>
    public int Shots { get; init; }

    /// <summary>The metric taken from each subtask, e.g. <c>acc</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The subtasks to run; empty means all of them.</summary>
    public IReadOnlyList<string> Subtasks { get; init; } = [];
}
