namespace Mlrb.Tasks;

/// <summary>How a task's result is measured: by the agent while it works, and by Mlrb.Eval afterwards.</summary>
public sealed record EvaluationSpec
{
    /// <summary>The benchmarks the submitted model is scored on.</summary>
    public required IReadOnlyList<BenchmarkSpec> Benchmarks { get; init; }

    /// <summary>How the benchmarks' subtask results combine into the score.</summary>
    public required ScoreAggregation Aggregation { get; init; }

    /// <summary>The aggregation as a formula in plain text, e.g. <c>A = (A_BoolQ + ... + A_WSC) / 8</c>.</summary>
    public required string AggregationFormula { get; init; }

    /// <summary>
    /// What the agent is told to run to measure itself. <c>&lt;path_to_your_model&gt;</c> marks where the agent puts
    /// the folder of its saved model.
    /// </summary>
    public required string SelfEvaluationCommand { get; init; }

    /// <summary>For a task scored on generated text (math_reasoning): the held-out items, prompt and output limits; otherwise null.</summary>
    public GenerationSpec? Generation { get; init; }
}
