using System.Numerics.Tensors;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models.T5;

/// <summary>
/// Incremental decoding: the encoder runs once per prompt and each decoder layer's cross-attention keys and values are kept
/// (<see cref="Encode"/>); the decoder then runs only its new tokens, appending their self-attention keys and values to the
/// sequence's cache and attending to every position before them with the causal relative-position bias (<see cref="Decode"/>).
/// The same maths as <see cref="Score"/>, which recomputes every decoder position.
/// </summary>
internal sealed partial class T5Model
{
    /// <summary>Runs the encoder on <paramref name="encoderIds"/> and returns a decoder state holding its cross-attention keys and values.</summary>
    public T5DecoderState Encode(int[] encoderIds, ParallelOptions parallel)
    {
        ArgumentOutOfRangeException.ThrowIfZero(encoderIds.Length);
        Backend.Parallel = parallel;
        var encoded = RunEncoder(encoderIds, parallel);
        var n = encoderIds.Length;
        var inner = Config.InnerWidth;
        var cross = new float[_decoder.Length][];
        for (var l = 0; l < _decoder.Length; l++)
        {
            var kv = Backend.Allocate((long)n * 2 * inner);
            Backend.MatMul(encoded, n, _decoder[l].Cross!.Kv, kv, accumulate: false);
            cross[l] = new float[n * 2 * inner];
            Backend.Download(kv, cross[l]);
        }

        return new T5DecoderState(cross, n, inner);
    }

    /// <summary>
    /// Runs the new decoder tokens of several sequences after the positions their states hold (appending to them) and writes the
    /// logits of the last new token of every input with <c>WantsLogits</c>, in input order, to <paramref name="logits"/>
    /// (<c>[count, vocab_size]</c>).
    /// </summary>
    public void Decode(IReadOnlyList<(T5DecoderState State, int[] Tokens, bool WantsLogits)> inputs, float[] logits, ParallelOptions parallel)
    {
        Backend.Parallel = parallel;
        var c = Config;
        var rows = inputs.Sum(i => i.Tokens.Length);
        var ids = new int[rows];
        var owner = new T5DecoderState[rows];
        var position = new int[rows];
        var r = 0;
        foreach (var (state, tokens, _) in inputs)
        {
            state.Reserve(state.Length + tokens.Length, _decoder.Length);
            for (var t = 0; t < tokens.Length; t++, r++)
            {
                ids[r] = tokens[t];
                owner[r] = state;
                position[r] = state.Length + t;
            }
        }

        var y = Embed(ids);
        for (var l = 0; l < _decoder.Length; l++)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            var block = _decoder[l];
            CachedSelfAttention(block, l, y, rows, owner, position);
            CachedCrossAttention(block, l, y, rows, owner);
            FeedForward(block, y, rows);
        }

        foreach (var (state, tokens, _) in inputs)
        {
            state.Length += tokens.Length;
        }

        Backend.Normalize(NormKind.RmsNorm, y, rows, c.ModelWidth, _decoderNorm.Weight, null, c.NormEpsilon, y);
        if (c.TiedHead)
        {
            Backend.Scale(y, (long)rows * c.ModelWidth, (float)Math.Pow(c.ModelWidth, -0.5));
        }

        var all = Backend.Allocate((long)rows * c.VocabularySize);
        Backend.MatMul(y, rows, _head, all, accumulate: false);
        var host = new float[rows * c.VocabularySize];
        Backend.Download(all, host);
        var end = 0;
        var written = 0;
        foreach (var (_, tokens, wants) in inputs)
        {
            end += tokens.Length;
            if (wants)
            {
                host.AsSpan((end - 1) * c.VocabularySize, c.VocabularySize).CopyTo(logits.AsSpan(written++ * c.VocabularySize));
            }
        }
    }

    private void CachedSelfAttention(Block block, int layer, DeviceBuffer x, int rows, T5DecoderState[] owner, int[] position)
    {
        var c = Config;
        int inner = c.InnerWidth, heads = c.HeadCount, dk = c.HeadDimension;
        var qkv = Backend.Allocate((long)rows * 3 * inner);
        Backend.MatMul(Norm(block.SelfNorm, x, rows), rows, block.Qkv, qkv, accumulate: false);
        var host = new float[rows * 3 * inner];
        Backend.Download(qkv, host);

        // Every new row's key and value go into its sequence's cache first: rows of one sequence then see each other causally.
        for (var r = 0; r < rows; r++)
        {
            host.AsSpan((r * 3 * inner) + inner, 2 * inner).CopyTo(owner[r].SelfKv[layer].AsSpan(position[r] * 2 * inner));
        }

        var output = new float[rows * inner];
        Parallel.For(0, heads * rows, Backend.Parallel, job =>
        {
            int h = job / rows, i = job % rows;
            var p = position[i];
            var kv = owner[i].SelfKv[layer];
            var scores = new float[p + 1];
            var query = host.AsSpan((i * 3 * inner) + (h * dk), dk);
            for (var j = 0; j <= p; j++)
            {
                var bucket = RelativePositionBuckets.Bucket(j - p, bidirectional: false, c.Buckets, c.MaxDistance);
                scores[j] = TensorPrimitives.Dot(query, kv.AsSpan((j * 2 * inner) + (h * dk), dk)) + _decoderBuckets[(bucket * heads) + h];
            }

            Softmax(scores);
            var o = output.AsSpan((i * inner) + (h * dk), dk);
            for (var j = 0; j <= p; j++)
            {
                TensorPrimitives.MultiplyAdd(kv.AsSpan((j * 2 * inner) + inner + (h * dk), dk), scores[j], o, o);
            }
        });
        Backend.MatMul(Backend.Upload(output), rows, block.SelfOut, x, accumulate: true);
    }

    private void CachedCrossAttention(Block block, int layer, DeviceBuffer y, int rows, T5DecoderState[] owner)
    {
        var cross = block.Cross!;
        int inner = Config.InnerWidth, heads = Config.HeadCount, dk = Config.HeadDimension;
        var q = Backend.Allocate((long)rows * inner);
        Backend.MatMul(Norm(cross.Norm, y, rows), rows, cross.Q, q, accumulate: false);
        var hostQ = new float[rows * inner];
        Backend.Download(q, hostQ);
        var output = new float[rows * inner];
        Parallel.For(0, heads * rows, Backend.Parallel, job =>
        {
            int h = job / rows, i = job % rows;
            var kv = owner[i].CrossKv[layer];
            var keys = owner[i].EncoderLength;
            var scores = new float[keys];
            var query = hostQ.AsSpan((i * inner) + (h * dk), dk);
            for (var j = 0; j < keys; j++)
            {
                scores[j] = TensorPrimitives.Dot(query, kv.AsSpan((j * 2 * inner) + (h * dk), dk));
            }

            Softmax(scores);
            var o = output.AsSpan((i * inner) + (h * dk), dk);
            for (var j = 0; j < keys; j++)
            {
                TensorPrimitives.MultiplyAdd(kv.AsSpan((j * 2 * inner) + inner + (h * dk), dk), scores[j], o, o);
            }
        });
        Backend.MatMul(Backend.Upload(output), rows, cross.Out, y, accumulate: true);
    }

    /// <summary>Stable softmax (max subtracted): T5's unscaled scores can exceed fp32's exp range.</summary>
    private static void Softmax(Span<float> scores)
    {
        TensorPrimitives.Subtract(scores, TensorPrimitives.Max(scores), scores);
        TensorPrimitives.Exp(scores, scores);
        TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);
    }
}
