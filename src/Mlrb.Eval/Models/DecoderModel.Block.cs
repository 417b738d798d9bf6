using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>One transformer block, as <see cref="ModelConfig.Layout"/> wires it.</summary>
internal sealed partial class DecoderModel
{
    private void RunLayer(DeviceBatch db, int l, DeviceBuffer x, int m)
    {
        var c = Config;
        var lw = _weights.Layers[l];
        var d = c.HiddenSize;
        switch (c.Layout)
        {
            case BlockLayout.PreNorm:
            {
                var h = Scratch("h", (long)m * d);
                Norm(x, m, lw.AttentionNorm!, h);
                var attn = AttentionBlock(db, l, h, m);
                Residual(x, attn, m, lw.Output, lw.AttentionOutputNorm);
                Norm(x, m, lw.FeedForwardNorm!, h);
                var act = FeedForward(h, m, lw);
                Residual(x, act, m, lw.Down, lw.FeedForwardOutputNorm);
                break;
            }

            case BlockLayout.Parallel:
            case BlockLayout.ParallelSharedNorm:
            {
                // Both branches read the block input; x changes only after both have their inputs.
                var h = Scratch("h", (long)m * d);
                Norm(x, m, lw.AttentionNorm!, h);
                var h2 = h;
                if (c.Layout == BlockLayout.Parallel)
                {
                    h2 = Scratch("h2", (long)m * d);
                    Norm(x, m, lw.FeedForwardNorm!, h2);
                }

                var attn = AttentionBlock(db, l, h, m);
                var act = FeedForward(h2, m, lw);
                Residual(x, attn, m, lw.Output, null);
                Residual(x, act, m, lw.Down, null);
                break;
            }

            default:
            {
                // PostNorm: x = N1(x + A(x)); x = N2(x + F(x)).
                var attn = AttentionBlock(db, l, x, m);
                Residual(x, attn, m, lw.Output, null);
                Norm(x, m, lw.AttentionNorm!, x);
                var act = FeedForward(x, m, lw);
                Residual(x, act, m, lw.Down, null);
                Norm(x, m, lw.FeedForwardNorm!, x);
                break;
            }
        }
    }

    private DeviceBuffer AttentionBlock(DeviceBatch db, int l, DeviceBuffer input, int m)
    {
        var c = Config;
        var layout = new QkvLayout(c.HeadCount, c.KeyValueHeadCount, c.HeadDimension);
        var qkv = Scratch("qkv", (long)m * layout.Width);
        var attn = Scratch("attn", (long)m * layout.QueryWidth);
        Backend.MatMul(input, m, _weights.Layers[l].Qkv, qkv, accumulate: false);
        if (_rotary is not null)
        {
            Backend.Rotary(db, qkv, layout, _rotary.Dimensions);
        }

        Backend.StoreKeyValues(db, l, qkv, layout);
        Backend.Attention(db, l, qkv, layout, c.AttentionFor(l), attn);
        return attn;
    }

    private DeviceBuffer FeedForward(DeviceBuffer input, int m, LayerWeights lw)
    {
        var upWidth = lw.Up.Outputs;
        var up = Scratch("up", (long)m * upWidth);
        Backend.MatMul(input, m, lw.Up, up, accumulate: false);
        var activation = Config.Activation;
        var act = Scratch("act", (long)m * (activation.Gated ? upWidth / 2 : upWidth));
        Backend.Activate(activation, up, m, upWidth, act);
        return act;
    }

    /// <summary><c>x += input·W</c>, or <c>x += N(input·W)</c> with an output norm (Gemma-2).</summary>
    private void Residual(DeviceBuffer x, DeviceBuffer input, int m, LinearWeights weights, NormWeights? outputNorm)
    {
        if (outputNorm is null)
        {
            Backend.MatMul(input, m, weights, x, accumulate: true);
            return;
        }

        var d = Config.HiddenSize;
        var branch = Scratch("branch", (long)m * d);
        Backend.MatMul(input, m, weights, branch, accumulate: false);
        Norm(branch, m, outputNorm, branch);
        Backend.Add(x, branch, (long)m * d);
    }

    private void Norm(DeviceBuffer input, int m, NormWeights norm, DeviceBuffer output)
        => Backend.Normalize(Config.Norm, input, m, Config.HiddenSize, norm.Weight, norm.Bias, Config.NormEpsilon, output);
}
