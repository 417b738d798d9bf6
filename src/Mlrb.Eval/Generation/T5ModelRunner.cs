using Mlrb.Eval.Models.T5;

namespace Mlrb.Eval.Generation;

/// <summary>
/// <see cref="IIncrementalModel"/> over a <see cref="T5Model"/> (encoder-decoder): a sequence's first step carries its whole
/// prompt, which is encoded once (cross-attention keys and values kept), and decodes <c>decoder_start_token_id</c>; each later
/// step decodes the generated token after the cached decoder positions. One call at a time.
/// </summary>
internal sealed class T5ModelRunner(T5Model model, int positionLimit) : IIncrementalModel
{
    public int VocabularySize => model.Config.VocabularySize;

    public int OutputWidth => model.Config.VocabularySize;

    public int PositionLimit => positionLimit;

    public int? WholeSequenceAbove => null;

    public bool EncoderDecoder => true;

    public SequenceCache CreateCache(int capacity) => new Cache();

    public SequenceCache Grow(SequenceCache cache, int capacity) => cache; // the state grows itself

    public void Step(IReadOnlyList<DecodeInput> inputs, float[] logits, ParallelOptions parallel)
    {
        var decode = new List<(T5DecoderState, int[], bool)>(inputs.Count);
        foreach (var input in inputs)
        {
            var cache = (Cache)input.Cache;
            if (cache.State is null)
            {
                cache.State = model.Encode([.. input.Tokens], parallel);
                decode.Add((cache.State, [model.Config.DecoderStartTokenId], input.WantsLogits));
            }
            else
            {
                decode.Add((cache.State, [.. input.Tokens], input.WantsLogits));
            }
        }

        model.Decode(decode, logits, parallel);
    }

    public void ForEachPosition(int[] tokens, ParallelOptions parallel, Action<int, ReadOnlySpan<float>> row)
        => throw new NotSupportedException("an encoder-decoder model gives no log-probabilities for its prompt's own tokens.");

    /// <summary>The encoder's output and the decoder's keys and values of one sequence (null until its prompt is encoded).</summary>
    private sealed class Cache : SequenceCache
    {
        public T5DecoderState? State { get; set; }

        public override int Capacity => int.MaxValue;

        public override void Clear() => State = null;
    }
}
