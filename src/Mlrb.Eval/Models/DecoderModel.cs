using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>
/// A decoder-only transformer (GPT-2 or Llama family) held in fp32 with its matrices packed for <see cref="Gemm"/>.
/// Runs one <see cref="ForwardBatch"/> at a time (its scratch buffers are reused between calls).
/// </summary>
internal sealed partial class DecoderModel
{
    private readonly DecoderLayer[] _layers;
    private readonly PackedMatrix _lmHead;
    private readonly float[]? _tokenEmbedding;
    private readonly float[]? _positionEmbedding;
    private readonly float[] _finalNormWeight;
    private readonly float[]? _finalNormBias;
    private readonly float[]? _ropeCos;
    private readonly float[]? _ropeSin;
    private readonly bool _isGpt2;
    private readonly Dictionary<string, float[]> _scratch = new(StringComparer.Ordinal);

    private DecoderModel(
        ModelConfig config, DecoderLayer[] layers, PackedMatrix lmHead, float[]? tokenEmbedding, float[]? positionEmbedding,
        float[] finalNormWeight, float[]? finalNormBias)
    {
        Config = config;
        _layers = layers;
        _lmHead = lmHead;
        _tokenEmbedding = tokenEmbedding;
        _positionEmbedding = positionEmbedding;
        _finalNormWeight = finalNormWeight;
        _finalNormBias = finalNormBias;
        _isGpt2 = config.ModelType == "gpt2";
        if (!_isGpt2)
        {
            (_ropeCos, _ropeSin) = BuildRopeTables(config);
        }
    }

    public ModelConfig Config { get; }

    /// <summary>Width of the output distribution (the lm_head rows; may exceed the tokenizer's size).</summary>
    public int OutputWidth => _lmHead.N;

    /// <summary>Bytes of fp32 parameters held (packed, padding included).</summary>
    public long ParameterBytes
        => 4L * (_lmHead.Data.Length + (_tokenEmbedding?.Length ?? 0) + (_positionEmbedding?.Length ?? 0)
            + _layers.Sum(l => (long)l.Qkv.Data.Length + l.Output.Data.Length + l.Up.Data.Length + l.Down.Data.Length));

    /// <summary>
    /// Runs the batch and returns the final-normed hidden states of <see cref="ForwardBatch.OutputRows"/>, <c>[outputRows, hidden]</c>
    /// (a scratch buffer valid until the next call). <see cref="ComputeLogits"/> turns slices of it into logits.
    /// </summary>
    /// <param name="batch">The sequences.</param>
    /// <param name="parallel">Degree of parallelism.</param>
    /// <returns>The hidden states of the output rows.</returns>
    public float[] Forward(ForwardBatch batch, ParallelOptions parallel)
    {
        var c = Config;
        var m = batch.Tokens.Length;
        var d = c.HiddenSize;
        var qDim = c.HeadCount * c.HeadDimension;
        var kvDim = c.KeyValueHeadCount * c.HeadDimension;
        var qkvDim = qDim + (2 * kvDim);
        var upWidth = _layers[0].Up.N;
        var inner = _isGpt2 ? upWidth : upWidth / 2;
        var positions = Positions(batch);

        var x = Scratch("x", m * d);
        var h = Scratch("h", m * d);
        var qkv = Scratch("qkv", m * qkvDim);
        var attn = Scratch("attn", m * qDim);
        var up = Scratch("up", m * upWidth);
        var act = _isGpt2 ? up : Scratch("act", m * inner);

        Embed(batch.Tokens, positions, x);
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            Normalize(x, m, layer.Norm1Weight, layer.Norm1Bias, h, parallel);
            Gemm.Multiply(h, m, layer.Qkv, qkv, accumulate: false, parallel);
            if (!_isGpt2)
            {
                ApplyRotary(qkv, positions, m, parallel);
            }

            StoreKeyValues(batch, l, qkv);
            Attention(batch, l, qkv, attn, parallel);
            Gemm.Multiply(attn, m, layer.Output, x, accumulate: true, parallel);
            Normalize(x, m, layer.Norm2Weight, layer.Norm2Bias, h, parallel);
            Gemm.Multiply(h, m, layer.Up, up, accumulate: false, parallel);
            Activate(up, m, upWidth, act, parallel);
            Gemm.Multiply(act, m, layer.Down, x, accumulate: true, parallel);
        }

        CommitStores(batch);

        var rows = batch.OutputRows;
        var picked = Scratch("picked", rows.Length * d);
        for (var r = 0; r < rows.Length; r++)
        {
            x.AsSpan(rows[r] * d, d).CopyTo(picked.AsSpan(r * d, d));
        }

        var normed = Scratch("normed", rows.Length * d);
        Normalize(picked, rows.Length, _finalNormWeight, _finalNormBias, normed, parallel);
        return normed;
    }

    /// <summary>The LM head on rows <c>[firstRow, firstRow + rowCount)</c> of <paramref name="hidden"/>.</summary>
    /// <param name="hidden">Hidden states from <see cref="Forward"/>, <c>[rows, hidden]</c>.</param>
    /// <param name="firstRow">First row.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="parallel">Degree of parallelism.</param>
    /// <param name="logits">Receives <c>[rowCount, OutputWidth]</c>.</param>
    public void ComputeLogits(float[] hidden, int firstRow, int rowCount, ParallelOptions parallel, float[] logits)
    {
        var d = Config.HiddenSize;
        var slice = Scratch("head-input", rowCount * d);
        hidden.AsSpan(firstRow * d, rowCount * d).CopyTo(slice);
        Gemm.Multiply(slice, rowCount, _lmHead, logits, accumulate: false, parallel);
    }

    private static int[] Positions(ForwardBatch batch)
    {
        var positions = new int[batch.Tokens.Length];
        for (var s = 0; s < batch.SequenceCount; s++)
        {
            var offset = batch.Prefixes[s]?.Length ?? 0;
            for (var i = batch.Starts[s]; i < batch.Starts[s + 1]; i++)
            {
                positions[i] = offset + (i - batch.Starts[s]);
            }
        }

        return positions;
    }

    private void Embed(int[] tokens, int[] positions, float[] x)
    {
        var d = Config.HiddenSize;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if ((uint)token >= (uint)Config.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {token} is outside the model's vocabulary [0, {Config.VocabularySize}).");
            }

            if ((uint)positions[i] >= (uint)Config.PositionCount && _positionEmbedding is not null)
            {
                throw new ArgumentOutOfRangeException(nameof(positions), $"position {positions[i]} is beyond the model's {Config.PositionCount} positions.");
            }

            var row = x.AsSpan(i * d, d);
            if (_tokenEmbedding is not null)
            {
                _tokenEmbedding.AsSpan(token * d, d).CopyTo(row);
            }
            else
            {
                _lmHead.CopyColumn(token, row);
            }

            if (_positionEmbedding is not null)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(row, _positionEmbedding.AsSpan(positions[i] * d, d), row);
            }
        }
    }

    private void Normalize(float[] input, int rows, float[] weight, float[]? bias, float[] output, ParallelOptions parallel)
    {
        var d = Config.HiddenSize;
        var eps = Config.NormEpsilon;
        ForRows(rows, d, parallel, (r0, r1) =>
        {
            for (var r = r0; r < r1; r++)
            {
                var src = input.AsSpan(r * d, d);
                var dst = output.AsSpan(r * d, d);
                if (bias is null)
                {
                    Kernels.RmsNorm(src, weight, eps, dst);
                }
                else
                {
                    Kernels.LayerNorm(src, weight, bias, eps, dst);
                }
            }
        });
    }

    private void ApplyRotary(float[] qkv, int[] positions, int m, ParallelOptions parallel)
    {
        var c = Config;
        var hd = c.HeadDimension;
        var half = hd / 2;
        var qDim = c.HeadCount * hd;
        var kvDim = c.KeyValueHeadCount * hd;
        var width = qDim + (2 * kvDim);
        ForRows(m, width, parallel, (r0, r1) =>
        {
            for (var r = r0; r < r1; r++)
            {
                var p = positions[r];
                if ((uint)p >= (uint)c.PositionCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(positions), $"position {p} is beyond the model's {c.PositionCount} positions.");
                }

                var cos = _ropeCos.AsSpan(p * half, half);
                var sin = _ropeSin.AsSpan(p * half, half);
                Kernels.RotaryInPlace(cos, sin, c.HeadCount, hd, qkv.AsSpan(r * width, qDim));
                Kernels.RotaryInPlace(cos, sin, c.KeyValueHeadCount, hd, qkv.AsSpan((r * width) + qDim, kvDim));
            }
        });
    }

    private void StoreKeyValues(ForwardBatch batch, int layer, float[] qkv)
    {
        var c = Config;
        var qDim = c.HeadCount * c.HeadDimension;
        var kvDim = c.KeyValueHeadCount * c.HeadDimension;
        var width = qDim + (2 * kvDim);
        for (var s = 0; s < batch.SequenceCount; s++)
        {
            var store = batch.Stores[s];
            if (store is null)
            {
                continue;
            }

            var offset = batch.Prefixes[s]?.Length ?? 0;
            var count = batch.Starts[s + 1] - batch.Starts[s];
            if (offset + count > store.Capacity)
            {
                throw new InvalidOperationException("KV cache capacity exceeded.");
            }

            for (var t = 0; t < count; t++)
            {
                var row = (batch.Starts[s] + t) * width;
                qkv.AsSpan(row + qDim, kvDim).CopyTo(store.Keys[layer].AsSpan((offset + t) * kvDim, kvDim));
                qkv.AsSpan(row + qDim + kvDim, kvDim).CopyTo(store.Values[layer].AsSpan((offset + t) * kvDim, kvDim));
            }

        }
    }

    /// <summary>
    /// Sets each store's length once every layer has run, so a store that is also the sequence's prefix (incremental
    /// decoding appends to the cache it continues) is read at its old length by every layer's attention.
    /// </summary>
    private static void CommitStores(ForwardBatch batch)
    {
        var lengths = new int[batch.SequenceCount];
        for (var s = 0; s < batch.SequenceCount; s++)
        {
            lengths[s] = (batch.Prefixes[s]?.Length ?? 0) + (batch.Starts[s + 1] - batch.Starts[s]);
        }

        for (var s = 0; s < batch.SequenceCount; s++)
        {
            if (batch.Stores[s] is { } store)
            {
                store.Length = lengths[s];
            }
        }
    }

    private void Activate(float[] up, int m, int upWidth, float[] act, ParallelOptions parallel)
    {
        var inner = _isGpt2 ? upWidth : upWidth / 2;
        ForRows(m, upWidth, parallel, (r0, r1) =>
        {
            if (_isGpt2)
            {
                var scratch = new float[upWidth];
                for (var r = r0; r < r1; r++)
                {
                    Kernels.GeluTanhInPlace(up.AsSpan(r * upWidth, upWidth), scratch);
                }
            }
            else
            {
                for (var r = r0; r < r1; r++)
                {
                    Kernels.SiluMultiply(up.AsSpan(r * upWidth, inner), up.AsSpan((r * upWidth) + inner, inner), act.AsSpan(r * inner, inner));
                }
            }
        });
    }

    private float[] Scratch(string name, int length)
    {
        if (!_scratch.TryGetValue(name, out var buffer) || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<float>(Math.Max(length, 1));
            _scratch[name] = buffer;
        }

        return buffer;
    }

    /// <summary>Splits rows into one range per worker when there is enough work.</summary>
    private static void ForRows(int rows, int width, ParallelOptions parallel, Action<int, int> body)
    {
        var workers = Math.Max(1, parallel.MaxDegreeOfParallelism > 0 ? parallel.MaxDegreeOfParallelism : Environment.ProcessorCount);
        if (workers == 1 || (long)rows * width < 32_768)
        {
            body(0, rows);
            return;
        }

        var per = (rows + workers - 1) / workers;
        Parallel.For(0, workers, parallel, w =>
        {
            var r0 = w * per;
            var r1 = Math.Min(rows, r0 + per);
            if (r0 < r1)
            {
                body(r0, r1);
            }
        });
    }

    private static (float[] Cos, float[] Sin) BuildRopeTables(ModelConfig c)
    {
        var half = c.HeadDimension / 2;
        var invFreq = new float[half];
        for (var i = 0; i < half; i++)
        {
            // torch: 1 / base ** (arange(0, dim, 2).float() / dim), in fp32
            var exponent = (float)(2 * i) / c.HeadDimension;
            invFreq[i] = 1f / (float)Math.Pow(c.RopeTheta, exponent);
        }

        var cos = new float[c.PositionCount * half];
        var sin = new float[c.PositionCount * half];
        for (var p = 0; p < c.PositionCount; p++)
        {
            var t = (float)p / (float)c.RopeScalingFactor;
            for (var i = 0; i < half; i++)
            {
                var angle = t * invFreq[i];
                cos[(p * half) + i] = MathF.Cos(angle);
                sin[(p * half) + i] = MathF.Sin(angle);
            }
        }

        return (cos, sin);
    }
}
