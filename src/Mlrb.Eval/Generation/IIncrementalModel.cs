namespace Mlrb.Eval.Generation;

/// <summary>
/// What decoding needs from the engine, whatever the architecture: run new tokens of several sequences after their cached
/// keys and values (appending to them), and return the logits of the last new token of each. A decoder-only model continues
/// its prompt; an encoder-decoder model (<see cref="EncoderDecoder"/>) encodes the prompt and decodes from its decoder start token.
/// </summary>
internal interface IIncrementalModel
{
    /// <summary>Ids the model's embedding accepts, <c>[0, VocabularySize)</c>.</summary>
    int VocabularySize { get; }

    /// <summary>Width of one row of logits (the LM head's rows; may exceed the tokenizer's size).</summary>
    int OutputWidth { get; }

    /// <summary>
    /// The most positions one sequence may hold: prompt and generated tokens together for a decoder-only model; for an
    /// encoder-decoder model, the most prompt tokens and, separately, the most decoder positions (start token and generated tokens).
    /// </summary>
    int PositionLimit { get; }

    /// <summary>
    /// Whether the prompt is read by an encoder: the first step of a sequence carries its whole prompt (never a chunk) and
    /// returns the logits of the decoder's first position; later steps carry generated tokens.
    /// </summary>
    bool EncoderDecoder { get; }

    /// <summary>
    /// LongRoPE: a sequence longer than this runs in one pass, and a sequence whose cache was filled at or below this length is
    /// recomputed from its first token when it grows past it (Hugging Face's Phi-3 drops its cache there); null otherwise.
    /// </summary>
    int? WholeSequenceAbove { get; }

    /// <summary>An empty cache for up to <paramref name="capacity"/> tokens.</summary>
    SequenceCache CreateCache(int capacity);

    /// <summary>A cache of at least <paramref name="capacity"/> tokens holding the contents of <paramref name="cache"/>.</summary>
    SequenceCache Grow(SequenceCache cache, int capacity);

    /// <summary>
    /// Runs each input's tokens after the tokens its cache holds and appends their keys and values to that cache. Writes the
    /// logits of the last token of every input with <see cref="DecodeInput.WantsLogits"/>, in input order, to
    /// <paramref name="logits"/> (<c>[count, OutputWidth]</c>).
    /// </summary>
    void Step(IReadOnlyList<DecodeInput> inputs, float[] logits, ParallelOptions parallel);

    /// <summary>
    /// Runs one whole sequence without a cache and hands the logits of every position to <paramref name="row"/>
    /// (position, logits predicting the next token), in order, a chunk of rows at a time.
    /// </summary>
    void ForEachPosition(int[] tokens, ParallelOptions parallel, Action<int, ReadOnlySpan<float>> row);
}

/// <summary>New tokens of one sequence for <see cref="IIncrementalModel.Step"/>.</summary>
/// <param name="Cache">The sequence's keys and values; the tokens are appended.</param>
/// <param name="Tokens">The new tokens.</param>
/// <param name="WantsLogits">Whether the logits of the last new token are wanted.</param>
internal readonly record struct DecodeInput(SequenceCache Cache, ArraySegment<int> Tokens, bool WantsLogits);
