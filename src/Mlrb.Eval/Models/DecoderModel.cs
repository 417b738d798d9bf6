using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>
/// A decoder-only transformer, written once for every supported family over the operations of an <see cref="IComputeBackend"/>.
/// <see cref="ModelConfig"/> says which operations a block runs and in which order; <see cref="ModelWeights"/> holds the weights.
/// Runs one <see cref="ForwardBatch"/> at a time (its scratch buffers are reused between calls).
/// </summary>
internal sealed partial class DecoderModel
{
    private readonly ModelWeights _weights;
    private readonly RotaryFrequencies? _rotary;
    private readonly Dictionary<string, DeviceBuffer> _scratch = new(StringComparer.Ordinal);

    public DecoderModel(ModelConfig config, ModelWeights weights, IComputeBackend backend)
    {
        Config = config;
        _weights = weights;
        Backend = backend;
        _rotary = config.Rope is { } rope ? RotaryFrequencies.Create(rope, config.PositionCount) : null;
    }

    public ModelConfig Config { get; }

    public IComputeBackend Backend { get; }

    /// <summary>Width of the output distribution (the lm_head rows; may exceed the tokenizer's size).</summary>
    public int OutputWidth => _weights.Head.Outputs;

    /// <summary>Width of the hidden rows <see cref="Forward"/> returns (the LM head's input).</summary>
    public int HiddenWidth => _weights.Head.Inputs;

    /// <summary>Bytes of weights held on the backend (packed, padding included).</summary>
    public long ParameterBytes => _weights.Bytes;

    /// <summary>
    /// LongRoPE picks its frequencies by a sequence's total length, so a sequence longer than this must run in one pass (not as a
    /// cached prefix plus a continuation computed with other frequencies); null when any split is exact.
    /// </summary>
    public int? WholeSequenceAbove => _rotary?.SwitchLength;

    /// <summary>An empty KV cache for up to <paramref name="capacity"/> tokens.</summary>
    public KvCache CreateKvCache(int capacity)
        => new(Backend, Config.LayerCount, capacity, Config.KeyValueHeadCount * Config.HeadDimension);

    /// <summary>
    /// Runs the batch and returns the hidden states of <see cref="ForwardBatch.OutputRows"/> after the final norm (and OPT's output
    /// projection), <c>[outputRows, HiddenWidth]</c>: a scratch buffer valid until the next call. <see cref="ScoreRows"/> and
    /// <see cref="ComputeLogits"/> turn slices of it into logits.
    /// </summary>
    /// <param name="batch">The sequences.</param>
    /// <param name="parallel">Threads (CPU) and cancellation.</param>
    /// <returns>The hidden states of the output rows.</returns>
    public DeviceBuffer Forward(ForwardBatch batch, ParallelOptions parallel)
    {
        Backend.Parallel = parallel;
        var c = Config;
        var w = _weights;
        var m = batch.Tokens.Length;
        var d = c.HiddenSize;
        var positions = Positions(batch);
        var (cos, sin) = RotaryRows(batch, positions);
        var db = Backend.Prepare(batch, positions, cos, sin);

        var x = Scratch("x", (long)m * d);
        if (w.ProjectIn is { } projectIn)
        {
            var embedded = Scratch("embedded", (long)m * c.TokenEmbeddingWidth);
            Backend.Gather(db, w.TokenEmbedding, byPosition: false, 0, embedded, accumulate: false);
            Backend.MatMul(embedded, m, projectIn, x, accumulate: false);
        }
        else
        {
            Backend.Gather(db, w.TokenEmbedding, byPosition: false, 0, x, accumulate: false);
        }

        if (c.EmbeddingScale is { } scale)
        {
            Backend.Scale(x, (long)m * d, scale);
        }

        if (w.PositionEmbedding is { } table)
        {
            Backend.Gather(db, table, byPosition: true, c.LearnedPositionOffset ?? 0, x, accumulate: true);
        }

        for (var l = 0; l < w.Layers.Length; l++)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            RunLayer(db, l, x, m);
        }

        var rows = batch.OutputRows.Length;
        var picked = Scratch("picked", (long)rows * d);
        Backend.SelectRows(db, x, d, picked);
        if (w.FinalNorm is { } norm)
        {
            Backend.Normalize(c.Norm, picked, rows, d, norm.Weight, norm.Bias, c.NormEpsilon, picked);
        }

        var hidden = picked;
        if (w.ProjectOut is { } projectOut)
        {
            hidden = Scratch("projected", (long)rows * projectOut.Outputs);
            Backend.MatMul(picked, rows, projectOut, hidden, accumulate: false);
        }

        CommitStores(batch);
        return hidden;
    }

    /// <summary>The LM head on rows <c>[firstRow, firstRow + rowCount)</c> of <paramref name="hidden"/>, then the log-softmax gather.</summary>
    /// <param name="hidden">Hidden states from <see cref="Forward"/>.</param>
    /// <param name="firstRow">First row.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="targets">Per row, the token ids whose logits are wanted.</param>
    /// <returns>log Σ exp, argmax and the target logits of each row.</returns>
    public RowScores ScoreRows(DeviceBuffer hidden, int firstRow, int rowCount, IReadOnlyList<int>[] targets)
        => Backend.ScoreRows(Logits(hidden, firstRow, rowCount), rowCount, OutputWidth, targets);

    /// <summary>The logits of rows <c>[firstRow, firstRow + rowCount)</c> of <paramref name="hidden"/>, copied to the host.</summary>
    /// <param name="hidden">Hidden states from <see cref="Forward"/>.</param>
    /// <param name="firstRow">First row.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="logits">Receives <c>[rowCount, OutputWidth]</c>.</param>
    public void ComputeLogits(DeviceBuffer hidden, int firstRow, int rowCount, Span<float> logits)
        => Backend.Download(Logits(hidden, firstRow, rowCount), logits[..(rowCount * OutputWidth)]);

    private DeviceBuffer Logits(DeviceBuffer hidden, int firstRow, int rowCount)
    {
        var width = HiddenWidth;
        var logits = Scratch("logits", (long)rowCount * OutputWidth);
        Backend.MatMul(hidden.Slice((long)firstRow * width, (long)rowCount * width), rowCount, _weights.Head, logits, accumulate: false);
        if (Config.FinalLogitSoftCap is { } cap)
        {
            Backend.SoftCap(logits, (long)rowCount * OutputWidth, cap);
        }

        return logits;
    }

    /// <summary>A cache of <paramref name="capacity"/> tokens holding <paramref name="cache"/>'s tokens (or the cache itself when it is large enough).</summary>
    public KvCache GrowKvCache(KvCache cache, int capacity)
    {
        if (capacity <= cache.Capacity)
        {
            return cache;
        }

        var grown = CreateKvCache(capacity);
        var used = (long)cache.Length * cache.KvDim;
        for (var l = 0; l < cache.Keys.Length; l++)
        {
            Backend.Copy(cache.Keys[l], grown.Keys[l], used);
            Backend.Copy(cache.Values[l], grown.Values[l], used);
        }

        grown.Length = cache.Length;
        return grown;
    }

    /// <summary>
    /// Sets each store's length once every layer has run (and after every length is computed), so a store that is also a sequence's
    /// prefix (incremental decoding appends to the cache it continues) is read at its old length by every layer's attention.
    /// </summary>
    private static void CommitStores(ForwardBatch batch)
    {
        var lengths = new int[batch.SequenceCount];
        for (var s = 0; s < batch.SequenceCount; s++)
        {
            lengths[s] = batch.PastLength(s) + (batch.Starts[s + 1] - batch.Starts[s]);
        }

        for (var s = 0; s < batch.SequenceCount; s++)
        {
            if (batch.Stores[s] is { } store)
            {
                store.Length = lengths[s];
            }
        }
    }

    private int[] Positions(ForwardBatch batch)
    {
        var positions = new int[batch.Tokens.Length];
        for (var s = 0; s < batch.SequenceCount; s++)
        {
            var offset = batch.PastLength(s);
            for (var i = batch.Starts[s]; i < batch.Starts[s + 1]; i++)
            {
                var p = offset + (i - batch.Starts[s]);
                if (p >= Config.PositionCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(batch), $"position {p} is beyond the model's {Config.PositionCount} positions.");
                }

                positions[i] = p;
            }
        }

        return positions;
    }

    private (float[] Cos, float[] Sin) RotaryRows(ForwardBatch batch, int[] positions)
    {
        if (_rotary is null)
        {
            return ([], []);
        }

        bool[]? useLong = null;
        if (_rotary.SwitchLength is { } limit)
        {
            useLong = new bool[positions.Length];
            for (var s = 0; s < batch.SequenceCount; s++)
            {
                var total = batch.PastLength(s) + (batch.Starts[s + 1] - batch.Starts[s]);
                Array.Fill(useLong, total > limit, batch.Starts[s], batch.Starts[s + 1] - batch.Starts[s]);
            }
        }

        var half = _rotary.Dimensions / 2;
        var cos = new float[positions.Length * half];
        var sin = new float[positions.Length * half];
        _rotary.Fill(positions, useLong, cos, sin);
        return (cos, sin);
    }

    private DeviceBuffer Scratch(string name, long length)
    {
        if (!_scratch.TryGetValue(name, out var buffer) || buffer.Length < length)
        {
            buffer = Backend.Allocate(Math.Max(length, 1));
            _scratch[name] = buffer;
        }

        return buffer;
    }
}
