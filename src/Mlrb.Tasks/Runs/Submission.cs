namespace Mlrb.Tasks.Runs;

/// <summary>
/// The typed final answer of a run, as the agent gives it through <c>return_fn</c>:
/// the metrics it measured and the path of the model it produced.
/// </summary>
public sealed record Submission
{
    /// <summary>Metrics as name/value pairs, e.g. <c>{"val_loss": "3.1"}</c>.</summary>
    public required IReadOnlyDictionary<string, string> Metrics { get; init; }

    /// <summary>Path of the produced model or artifact, relative to the workspace or absolute inside it.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The agent's free-text summary of the submission (the reference's <c>submission</c> string).</summary>
    public string? Summary { get; init; }
}
