namespace Mlrb.Eval.Benchmarks;

/// <summary>One scored item of a text-generation evaluation (math_reasoning), as the report keeps it.</summary>
public sealed record GeneratedSample
{
    /// <summary>Position among the scored items (0-based).</summary>
    public required int Index { get; init; }

    /// <summary>Where the item came from: <c>file:line</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The row's <c>name</c>, when it has one.</summary>
    public string? Name { get; init; }

    /// <summary>The prompt put to the model; null in predictions-file mode (generated elsewhere).</summary>
    public string? Prompt { get; init; }

    /// <summary>The generated text (or the file's prediction).</summary>
    public required string Generation { get; init; }

    /// <summary>The reference text.</summary>
    public required string Reference { get; init; }

    /// <summary>BLEU of this pair alone (sacrebleu's corpus settings on one segment), 0–1.</summary>
    public required double Bleu { get; init; }

    /// <summary>ROUGE-L F1 of this pair.</summary>
    public required double RougeL { get; init; }

    /// <summary>Whether Lean accepted it; null when no checker ran on it.</summary>
    public bool? LeanPassed { get; init; }

    /// <summary>Whether the Lean check was killed at its timeout.</summary>
    public bool LeanTimedOut { get; init; }

    /// <summary>Lean's output (capped), when it ran.</summary>
    public string? LeanOutput { get; init; }

    /// <summary>Tokens generated (0 in predictions-file mode).</summary>
    public int GeneratedTokens { get; init; }

    /// <summary>Why generation ended (<c>end_of_sequence</c>, <c>stop_sequence</c>, <c>max_tokens</c>, <c>context_full</c>), or null.</summary>
    public string? FinishReason { get; init; }
}
