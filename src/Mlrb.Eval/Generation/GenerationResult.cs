namespace Mlrb.Eval.Generation;

/// <summary>The continuation of one prompt.</summary>
public sealed record GenerationResult
{
    /// <summary>The generated text, decoded without special tokens and cut before a stop string.</summary>
    public required string Text { get; init; }

    /// <summary>The generated token ids (the end-of-sequence token included when it ended the output).</summary>
    public required IReadOnlyList<int> TokenIds { get; init; }

    /// <summary>Tokens of the prompt as run (after any left truncation).</summary>
    public required int PromptTokenCount { get; init; }

    /// <summary>Why the output ended.</summary>
    public required GenerationFinishReason FinishReason { get; init; }

    /// <summary>The stop string that ended it, when one did.</summary>
    public string? StopSequence { get; init; }

    /// <summary>Per generated token, when <see cref="GenerationOptions.Logprobs"/> was set.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    /// <summary>Tokens dropped from the prompt's start to fit the context (<see cref="GenerationOptions.TruncatePromptFromLeft"/>).</summary>
    public int TruncatedPromptTokens { get; init; }

    /// <summary>From submission to the last token.</summary>
    public TimeSpan Duration { get; init; }
}
