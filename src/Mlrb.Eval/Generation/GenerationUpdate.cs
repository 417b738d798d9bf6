namespace Mlrb.Eval.Generation;

/// <summary>
/// One step of a streamed generation: a token was generated and <see cref="Text"/> is the text it released (empty while a
/// character is incomplete or the text could still be the start of a stop string). The last update carries
/// <see cref="Result"/>; the concatenated <see cref="Text"/> of all updates equals <see cref="GenerationResult.Text"/>.
/// </summary>
public sealed record GenerationUpdate
{
    /// <summary>Text released by this step.</summary>
    public required string Text { get; init; }

    /// <summary>The token generated at this step (null for the final update when it adds none).</summary>
    public int? TokenId { get; init; }

    /// <summary>The token's log-probability, when <see cref="GenerationOptions.Logprobs"/> was set.</summary>
    public TokenLogprob? Logprob { get; init; }

    /// <summary>The whole result, on the final update only.</summary>
    public GenerationResult? Result { get; init; }
}
