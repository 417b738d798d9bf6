using System.Numerics.Tensors;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.T5;

/// <summary>
/// A T5 encoder-decoder (T5 v1.0, v1.1, FLAN-T5) on an <see cref="IComputeBackend"/>: pre-norm blocks with T5's RMSNorm (no mean, no bias),
/// unscaled attention with learned relative-position buckets (computed by the first layer of each stack and shared by all its layers;
/// bidirectional in the encoder, causal in the decoder; none in cross-attention), ReLU or gated feed-forward, and a tied head (after a
/// <c>d_model^-0.5</c> rescale) or an untied <c>lm_head</c>. Weights stay in their checkpoint dtype; attention runs on the host in fp32.
/// </summary>
internal sealed partial class T5Model
{
    private readonly EmbeddingTable _embedding;
    private readonly LinearWeights _head;
    private readonly float[] _encoderBuckets;
    private readonly float[] _decoderBuckets;
    private readonly Block[] _encoder;
    private readonly Block[] _decoder;
    private readonly NormWeights _encoderNorm;
    private readonly NormWeights _decoderNorm;

    private T5Model(T5Config config, IComputeBackend backend, WeightBinder b)
    {
        Config = config;
        Backend = backend;
        int d = config.ModelWidth, v = config.VocabularySize;
        var shared = b.FirstPresent("shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight")
            ?? throw new ModelFormatException(b.Store.Directory, "shared.weight", "required tensor is missing.");
        if (config.TiedHead)
        {
            _head = b.Linear(d, LinearBlock.Whole(shared, v));
            _embedding = backend.EmbeddingOf(_head);
        }
        else
        {
            if (!b.Has("lm_head.weight"))
            {
                throw new ModelFormatException(b.Store.Directory, "lm_head.weight", "required tensor is missing (config.json says tie_word_embeddings is false).");
            }

            _embedding = b.Embedding(shared, v, d);
            _head = b.Linear(d, LinearBlock.Whole("lm_head.weight", v));
        }

        _encoderBuckets = b.Store.Read("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", config.Buckets, config.HeadCount);
        _decoderBuckets = b.Store.Read("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", config.Buckets, config.HeadCount);
        _encoder = Enumerable.Range(0, config.EncoderLayers).Select(l => BindBlock(b, $"encoder.block.{l}.layer.", decoder: false)).ToArray();
        _decoder = Enumerable.Range(0, config.DecoderLayers).Select(l => BindBlock(b, $"decoder.block.{l}.layer.", decoder: true)).ToArray();
        _encoderNorm = b.Norm("encoder.final_layer_norm.", d);
        _decoderNorm = b.Norm("decoder.final_layer_norm.", d);
    }

    public T5Config Config { get; }

    public IComputeBackend Backend { get; }

    /// <summary>Loads a T5 folder (config.json + safetensors), merging <paramref name="adapter"/> if given.</summary>
    public static T5Model Load(string directory, IComputeBackend backend, IWeightAdapter? adapter = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelFormatException(directory, null, "model folder not found.");
        }

        var config = T5Config.Read(directory);
        using var store = WeightStore.Open(directory);
        var model = new T5Model(config, backend, new WeightBinder(store, backend, adapter));
        adapter?.EnsureApplied();
        return model;
    }

    /// <summary>
    /// Runs the encoder on <paramref name="encoderIds"/> and the decoder on <paramref name="decoderIds"/>, then the log-softmax gather of
    /// each decoder row against its <paramref name="targets"/>.
    /// </summary>
    public RowScores Score(int[] encoderIds, int[] decoderIds, IReadOnlyList<int>[] targets, ParallelOptions parallel)
    {
        Backend.Parallel = parallel;
        var c = Config;
        var encoded = RunEncoder(encoderIds, parallel);
        var n = encoderIds.Length;
        var m = decoderIds.Length;
        var y = Embed(decoderIds);
        var bias = RelativePositionBuckets.Bias(_decoderBuckets, c.HeadCount, m, m, bidirectional: false, c.Buckets, c.MaxDistance);
        foreach (var block in _decoder)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            SelfAttention(block, y, m, bias, causal: true);
            CrossAttention(block, y, m, encoded, n);
            FeedForward(block, y, m);
        }

        Backend.Normalize(NormKind.RmsNorm, y, m, c.ModelWidth, _decoderNorm.Weight, null, c.NormEpsilon, y);
        if (c.TiedHead)
        {
            Backend.Scale(y, (long)m * c.ModelWidth, (float)Math.Pow(c.ModelWidth, -0.5));
        }

        var logits = Backend.Allocate((long)m * c.VocabularySize);
        Backend.MatMul(y, m, _head, logits, accumulate: false);
        return Backend.ScoreRows(logits, m, c.VocabularySize, targets);
    }

    /// <summary>The encoder's output for <paramref name="encoderIds"/> (after its final norm), <c>[n, d_model]</c>.</summary>
    private DeviceBuffer RunEncoder(int[] encoderIds, ParallelOptions parallel)
    {
        var c = Config;
        var encoded = Embed(encoderIds);
        var n = encoderIds.Length;
        var bias = RelativePositionBuckets.Bias(_encoderBuckets, c.HeadCount, n, n, bidirectional: true, c.Buckets, c.MaxDistance);
        foreach (var block in _encoder)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            SelfAttention(block, encoded, n, bias, causal: false);
            FeedForward(block, encoded, n);
        }

        Backend.Normalize(NormKind.RmsNorm, encoded, n, c.ModelWidth, _encoderNorm.Weight, null, c.NormEpsilon, encoded);
        return encoded;
    }

    private Block BindBlock(WeightBinder b, string p, bool decoder)
    {
        int d = Config.ModelWidth, inner = Config.InnerWidth, ff = Config.FeedForwardWidth;
        var self = p + "0.SelfAttention.";
        var ffPrefix = p + (decoder ? "2." : "1.") + "DenseReluDense.";
        var up = Config.Activation.Gated
            ? b.Linear(d, LinearBlock.Whole(ffPrefix + "wi_0.weight", ff), LinearBlock.Whole(ffPrefix + "wi_1.weight", ff))
            : b.Linear(d, LinearBlock.Whole(ffPrefix + "wi.weight", ff));
        CrossWeights? cross = null;
        if (decoder)
        {
            var x = p + "1.EncDecAttention.";
            cross = new CrossWeights(
                b.Norm(p + "1.layer_norm.", d),
                b.Linear(d, LinearBlock.Whole(x + "q.weight", inner)),
                b.Linear(d, LinearBlock.Whole(x + "k.weight", inner), LinearBlock.Whole(x + "v.weight", inner)),
                b.Linear(inner, LinearBlock.Whole(x + "o.weight", d)));
        }

        return new Block(
            b.Norm(p + "0.layer_norm.", d),
            b.Linear(d, LinearBlock.Whole(self + "q.weight", inner), LinearBlock.Whole(self + "k.weight", inner), LinearBlock.Whole(self + "v.weight", inner)),
            b.Linear(inner, LinearBlock.Whole(self + "o.weight", d)),
            cross,
            b.Norm(p + (decoder ? "2." : "1.") + "layer_norm.", d),
            up,
            b.Linear(ff, LinearBlock.Whole(ffPrefix + "wo.weight", d)));
    }

    private DeviceBuffer Embed(int[] ids)
    {
        var batch = Backend.Prepare(new ForwardBatch(ids, [0, ids.Length], Enumerable.Range(0, ids.Length).ToArray()), new int[ids.Length], [], []);
        var x = Backend.Allocate((long)ids.Length * Config.ModelWidth);
        Backend.Gather(batch, _embedding, byPosition: false, 0, x, accumulate: false);
        return x;
    }

    private DeviceBuffer Norm(NormWeights norm, DeviceBuffer x, int rows)
    {
        var n = Backend.Allocate((long)rows * Config.ModelWidth);
        Backend.Normalize(NormKind.RmsNorm, x, rows, Config.ModelWidth, norm.Weight, null, Config.NormEpsilon, n);
        return n;
    }

    private void SelfAttention(Block block, DeviceBuffer x, int rows, float[] bias, bool causal)
    {
        var inner = Config.InnerWidth;
        var qkv = Backend.Allocate((long)rows * 3 * inner);
        Backend.MatMul(Norm(block.SelfNorm, x, rows), rows, block.Qkv, qkv, accumulate: false);
        var host = new float[rows * 3 * inner];
        Backend.Download(qkv, host);
        var output = Attend(host, 3 * inner, 0, host, 3 * inner, inner, 2 * inner, rows, rows, bias, causal);
        Backend.MatMul(Backend.Upload(output), rows, block.SelfOut, x, accumulate: true);
    }

    private void CrossAttention(Block block, DeviceBuffer y, int rows, DeviceBuffer encoded, int keys)
    {
        var cross = block.Cross!;
        var inner = Config.InnerWidth;
        var q = Backend.Allocate((long)rows * inner);
        Backend.MatMul(Norm(cross.Norm, y, rows), rows, cross.Q, q, accumulate: false);
        var kv = Backend.Allocate((long)keys * 2 * inner);
        Backend.MatMul(encoded, keys, cross.Kv, kv, accumulate: false);
        var hostQ = new float[rows * inner];
        var hostKv = new float[keys * 2 * inner];
        Backend.Download(q, hostQ);
        Backend.Download(kv, hostKv);
        var output = Attend(hostQ, inner, 0, hostKv, 2 * inner, 0, inner, rows, keys, null, causal: false);
        Backend.MatMul(Backend.Upload(output), rows, cross.Out, y, accumulate: true);
    }

    private void FeedForward(Block block, DeviceBuffer x, int rows)
    {
        var ff = Config.FeedForwardWidth;
        var upWidth = Config.Activation.Gated ? 2 * ff : ff;
        var up = Backend.Allocate((long)rows * upWidth);
        Backend.MatMul(Norm(block.FeedForwardNorm, x, rows), rows, block.Up, up, accumulate: false);
        var act = Backend.Allocate((long)rows * ff);
        Backend.Activate(Config.Activation, up, rows, upWidth, act);
        Backend.MatMul(act, rows, block.Down, x, accumulate: true);
    }

    /// <summary>
    /// Softmax attention without scaling, per head: queries at <paramref name="qOffset"/> of rows of width <paramref name="qStride"/>,
    /// keys and values at their offsets in rows of width <paramref name="kvStride"/>; plus the position bias and the causal mask.
    /// </summary>
    private float[] Attend(float[] q, int qStride, int qOffset, float[] kv, int kvStride, int kOffset, int vOffset, int queries, int keys, float[]? bias, bool causal)
    {
        int heads = Config.HeadCount, dk = Config.HeadDimension, inner = Config.InnerWidth;
        var output = new float[queries * inner];
        Parallel.For(0, heads * queries, Backend.Parallel, job =>
        {
            int h = job / queries, i = job % queries;
            var visible = causal ? i + 1 : keys;
            var scores = new float[visible];
            var query = q.AsSpan((i * qStride) + qOffset + (h * dk), dk);
            for (var j = 0; j < visible; j++)
            {
                scores[j] = TensorPrimitives.Dot(query, kv.AsSpan((j * kvStride) + kOffset + (h * dk), dk))
                    + (bias is null ? 0f : bias[(((h * queries) + i) * keys) + j]);
            }

            // Stable softmax (max subtracted): T5's unscaled scores can exceed fp32's exp range.
            TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
            TensorPrimitives.Exp(scores, scores);
            TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
            var o = output.AsSpan((i * inner) + (h * dk), dk);
            for (var j = 0; j < visible; j++)
            {
                TensorPrimitives.MultiplyAdd(kv.AsSpan((j * kvStride) + vOffset + (h * dk), dk), scores[j], o, o);
            }
        });
        return output;
    }

    private sealed record Block(NormWeights SelfNorm, LinearWeights Qkv, LinearWeights SelfOut, CrossWeights? Cross, NormWeights FeedForwardNorm, LinearWeights Up, LinearWeights Down);

    private sealed record CrossWeights(NormWeights Norm, LinearWeights Q, LinearWeights Kv, LinearWeights Out);
}
