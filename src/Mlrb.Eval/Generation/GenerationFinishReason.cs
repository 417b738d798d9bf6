namespace Mlrb.Eval.Generation;

/// <summary>Why an output ended.</summary>
public enum GenerationFinishReason
{
    /// <summary>The model produced an end-of-sequence token.</summary>
    EndOfSequence,

    /// <summary>A stop string appeared; the output is cut before it.</summary>
    StopSequence,

    /// <summary><see cref="GenerationOptions.MaxNewTokens"/> tokens were generated.</summary>
    MaxTokens,

    /// <summary>The model's context (its maximum length) is full.</summary>
    ContextFull,
}
