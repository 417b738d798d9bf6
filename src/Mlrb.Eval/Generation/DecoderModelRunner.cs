using Mlrb.Eval.Inference;
using Mlrb.Eval.Models;

namespace Mlrb.Eval.Generation;

/// <summary><see cref="IIncrementalModel"/> over the CPU engine's <see cref="DecoderModel"/> (one call at a time).</summary>
internal sealed class DecoderModelRunner(DecoderModel model, int positionLimit) : IIncrementalModel
{
    private const long LogitChunkFloats = 4L << 20;

    public int VocabularySize => model.Config.VocabularySize;

    public int OutputWidth => model.OutputWidth;

    public int PositionLimit => positionLimit;

    public int? WholeSequenceAbove => model.WholeSequenceAbove;

    public bool EncoderDecoder => false;

    public SequenceCache CreateCache(int capacity) => new Cache(model.CreateKvCache(Math.Clamp(capacity, 1, positionLimit)));

    public SequenceCache Grow(SequenceCache cache, int capacity) => new Cache(model.GrowKvCache(((Cache)cache).Kv, capacity));

    public void Step(IReadOnlyList<DecodeInput> inputs, float[] logits, ParallelOptions parallel)
    {
        var count = inputs.Count;
        var starts = new int[count + 1];
        for (var s = 0; s < count; s++)
        {
            starts[s + 1] = starts[s] + inputs[s].Tokens.Count;
        }

        var tokens = new int[starts[count]];
        var caches = new KvCache?[count];
        var outputRows = new List<int>(count);
        for (var s = 0; s < count; s++)
        {
            inputs[s].Tokens.AsSpan().CopyTo(tokens.AsSpan(starts[s]));
            caches[s] = ((Cache)inputs[s].Cache).Kv;
            if (inputs[s].WantsLogits)
            {
                outputRows.Add(starts[s + 1] - 1);
            }
        }

        // The cache is both the prefix the new tokens continue and the store they are appended to.
        var hidden = model.Forward(new ForwardBatch(tokens, starts, [.. outputRows], caches, caches), parallel);
        if (outputRows.Count > 0)
        {
            model.ComputeLogits(hidden, 0, outputRows.Count, logits);
        }
    }

    public void ForEachPosition(int[] tokens, ParallelOptions parallel, Action<int, ReadOnlySpan<float>> row)
    {
        var rows = Enumerable.Range(0, tokens.Length).ToArray();
        var hidden = model.Forward(new ForwardBatch(tokens, [0, tokens.Length], rows), parallel);
        var width = model.OutputWidth;
        var chunk = (int)Math.Clamp(LogitChunkFloats / width, 1, tokens.Length);
        var logits = GC.AllocateUninitializedArray<float>(chunk * width);
        for (var first = 0; first < tokens.Length; first += chunk)
        {
            var n = Math.Min(chunk, tokens.Length - first);
            model.ComputeLogits(hidden, first, n, logits);
            for (var r = 0; r < n; r++)
            {
                row(first + r, logits.AsSpan(r * width, width));
            }
        }
    }

    /// <summary>The engine's key/value cache of one sequence.</summary>
    private sealed class Cache(KvCache kv) : SequenceCache
    {
        public KvCache Kv { get; } = kv;

        public override int Capacity => Kv.Capacity;

        public override void Clear() => Kv.Length = 0;
    }
}
