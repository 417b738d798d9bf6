using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Generation;

/// <summary>
/// Generates text with a model folder's weights. Calls may overlap: every prompt in flight, from any caller, joins one
/// continuously batched decoding loop (new prompts are prefilled in the same forward passes that advance the others).
/// </summary>
public interface ITextGenerator : IAsyncDisposable, IDisposable
{
    /// <summary>The model's tokenizer; null for a folder without one (prompts then go in as token ids and no text comes out).</summary>
    ITokenizer? Tokenizer { get; }

    /// <summary>
    /// The model's context: prompt and generated tokens together. For an encoder-decoder model (<see cref="IsEncoderDecoder"/>)
    /// the most prompt tokens the encoder reads and, separately, the most decoder positions (its start token and the output).
    /// </summary>
    int MaxLength { get; }

    /// <summary>
    /// Whether the model is an encoder-decoder (T5, FLAN-T5): the prompt is encoded and the output decoded from the decoder's
    /// start token, so the output does not continue the prompt's text and <see cref="ScoreTokensAsync"/> is not supported.
    /// </summary>
    bool IsEncoderDecoder => false;

    /// <summary>The ids that end an output (<c>generation_config.json</c>, else <c>config.json</c>, and the tokenizer's EOS).</summary>
    IReadOnlyList<int> EndOfSequenceTokenIds { get; }

    /// <summary>Continues every prompt; results come back in request order.</summary>
    /// <param name="requests">The prompts.</param>
    /// <param name="progress">Reports each finished prompt.</param>
    /// <param name="cancellationToken">Stops every prompt of this call.</param>
    /// <returns>One result per request.</returns>
    /// <exception cref="ArgumentException">A request is invalid (bad options, ids outside the vocabulary, a prompt longer than the context).</exception>
    Task<IReadOnlyList<GenerationResult>> GenerateAsync(
        IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Continues one prompt, streaming each token's text as it is generated. Disposing the enumerator early stops generation.</summary>
    /// <param name="request">The prompt.</param>
    /// <param name="cancellationToken">Stops generation.</param>
    /// <returns>The updates; the last one carries the result.</returns>
    IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(GenerationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The log-probability of every token of a sequence given the tokens before it (the first has none: null), with the
    /// most likely alternatives at each position. This is what an OpenAI-style <c>echo</c> + <c>logprobs</c> request returns.
    /// </summary>
    /// <param name="tokens">The token ids.</param>
    /// <param name="topLogprobs">Alternatives per position (0 for none).</param>
    /// <param name="cancellationToken">Cancels before the pass starts.</param>
    /// <returns>One entry per token, the first null.</returns>
    /// <exception cref="NotSupportedException">The model is an encoder-decoder (<see cref="IsEncoderDecoder"/>): its prompt has no log-probabilities.</exception>
    Task<IReadOnlyList<TokenLogprob?>> ScoreTokensAsync(IReadOnlyList<int> tokens, int topLogprobs, CancellationToken cancellationToken = default);
}
