namespace Mlrb.Tasks;

/// <summary>
/// How a text-generation task is scored from the submitted model: which held-out items, how each is put to the model,
/// what its output is compared with, and how long the output may be.
/// </summary>
public sealed record GenerationSpec
{
    /// <summary>Folder under the evaluation data folder that holds the task's rows (<c>train.jsonl</c>, optionally <c>test.jsonl</c>).</summary>
    public required string DataFolder { get; init; }

    /// <summary>
    /// The held-out test part when the data folder has no <c>test.jsonl</c>: the last this-many rows of <c>train.jsonl</c>
    /// (in the dataset's released order). The agent is told not to train on them.
    /// </summary>
    public required int HeldOutRows { get; init; }

    /// <summary>Items scored: the first this-many of the held-out part (the paper's pass rate is "out of 100").</summary>
    public int Items { get; init; } = 100;

    /// <summary>The prompt, with <c>{field}</c> replaced by each row's field of that name (<c>{{</c> and <c>}}</c> for literal braces).</summary>
    public required string PromptTemplate { get; init; }

    /// <summary>The row field the generated text is compared with.</summary>
    public required string ReferenceField { get; init; }

    /// <summary>Most tokens generated per item (lm-evaluation-harness's <c>max_gen_toks</c>; its default is 256).</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Strings that end a generation (the harness's <c>until</c>); the model's end-of-sequence token always does.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];
}
