namespace Mlrb.Eval.Models;

/// <summary>
/// The inverse frequencies and cos/sin factor of a <see cref="RopeConfig"/>, computed as transformers' <c>modeling_rope_utils</c> does
/// (fp32 tensors), and the per-token cos/sin rows of a forward pass.
/// </summary>
internal sealed class RotaryFrequencies
{
    private RotaryFrequencies(int dimensions, float[] inverse, float[]? longInverse, int? switchLength, float attentionFactor)
    {
        Dimensions = dimensions;
        Inverse = inverse;
        LongInverse = longInverse;
        SwitchLength = switchLength;
        AttentionFactor = attentionFactor;
    }

    /// <summary>Rotated elements per head.</summary>
    public int Dimensions { get; }

    /// <summary>Inverse frequencies, <c>[Dimensions / 2]</c>.</summary>
    public float[] Inverse { get; }

    /// <summary>LongRoPE's long-context inverse frequencies, used for sequences longer than <see cref="SwitchLength"/>.</summary>
    public float[]? LongInverse { get; }

    /// <summary>LongRoPE: sequences longer than this use <see cref="LongInverse"/>.</summary>
    public int? SwitchLength { get; }

    /// <summary>Multiplies cos and sin (yarn's mscale, LongRoPE's scaling factor; 1 otherwise).</summary>
    public float AttentionFactor { get; }

    /// <summary>Computes the frequencies.</summary>
    /// <param name="rope">Settings.</param>
    /// <param name="maxPositions">The config's <c>max_position_embeddings</c>.</param>
    public static RotaryFrequencies Create(RopeConfig rope, int maxPositions)
    {
        var dim = rope.Dimensions;
        var half = dim / 2;
        var baseInverse = new float[half];
        for (var i = 0; i < half; i++)
        {
            // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)), fp32
            var exponent = (float)(2 * i) / dim;
            baseInverse[i] = 1f / (float)Math.Pow(rope.Theta, exponent);
        }

        switch (rope.Scaling)
        {
            case RopeScaling.Linear:
                return new(dim, baseInverse.Select(f => f / (float)rope.Factor).ToArray(), null, null, 1f);
            case RopeScaling.Llama3:
                return new(dim, Llama3(rope, baseInverse, maxPositions), null, null, 1f);
            case RopeScaling.Yarn:
                return Yarn(rope, baseInverse, maxPositions);
            case RopeScaling.LongRope:
                return LongRope(rope, maxPositions);
            default:
                // None, and Dynamic: dynamic NTK only rescales for sequences longer than max_position_embeddings, which scoring never runs.
                return new(dim, baseInverse, null, null, 1f);
        }
    }

    /// <summary>Fills the cos/sin rows of each token (<c>[tokens, Dimensions/2]</c>).</summary>
    /// <param name="positions">Absolute position per token.</param>
    /// <param name="useLong">Per token, whether its sequence uses the long frequencies (LongRoPE).</param>
    /// <param name="cos">Receives cos·factor.</param>
    /// <param name="sin">Receives sin·factor.</param>
    public void Fill(int[] positions, bool[]? useLong, float[] cos, float[] sin)
    {
        var half = Dimensions / 2;
        for (var t = 0; t < positions.Length; t++)
        {
            var inverse = useLong is not null && useLong[t] ? LongInverse! : Inverse;
            var p = (float)positions[t];
            for (var i = 0; i < half; i++)
            {
                var angle = p * inverse[i];
                cos[(t * half) + i] = MathF.Cos(angle) * AttentionFactor;
                sin[(t * half) + i] = MathF.Sin(angle) * AttentionFactor;
            }
        }
    }

    private static float[] Llama3(RopeConfig rope, float[] inverse, int maxPositions)
    {
        var factor = (float)rope.Factor;
        var low = (float)rope.LowFrequencyFactor;
        var high = (float)rope.HighFrequencyFactor;
        var old = (float)(rope.OriginalMaxPositions ?? maxPositions);
        var lowWavelength = old / low;
        var highWavelength = old / high;
        var result = new float[inverse.Length];
        for (var i = 0; i < inverse.Length; i++)
        {
            var wavelength = 2f * MathF.PI / inverse[i];
            var scaled = wavelength > lowWavelength ? inverse[i] / factor : inverse[i];
            var medium = !(wavelength < highWavelength) && !(wavelength > lowWavelength);
            if (medium)
            {
                var smooth = ((old / wavelength) - low) / (high - low);
                scaled = ((1 - smooth) * scaled / factor) + (smooth * scaled);
            }

            result[i] = scaled;
        }

        return result;
    }

    private static RotaryFrequencies Yarn(RopeConfig rope, float[] baseInverse, int maxPositions)
    {
        var dim = rope.Dimensions;
        var original = rope.OriginalMaxPositions ?? maxPositions;
        var factor = rope.Factor;
        static double MScale(double scale, double m = 1) => scale <= 1 ? 1.0 : (0.1 * m * Math.Log(scale)) + 1.0;
        var attention = rope.AttentionFactor
            ?? (rope.MScale is { } ms && ms != 0 && rope.MScaleAllDim is { } msa && msa != 0 ? MScale(factor, ms) / MScale(factor, msa) : MScale(factor));

        double CorrectionDim(double rotations) => dim * Math.Log(original / (rotations * 2 * Math.PI)) / (2 * Math.Log(rope.Theta));
        var low = CorrectionDim(rope.BetaFast);
        var high = CorrectionDim(rope.BetaSlow);
        if (rope.Truncate)
        {
            low = Math.Floor(low);
            high = Math.Ceiling(high);
        }

        low = Math.Max(low, 0);
        high = Math.Min(high, dim - 1);
        if (low == high)
        {
            high += 0.001;
        }

        var inverse = new float[baseInverse.Length];
        for (var i = 0; i < inverse.Length; i++)
        {
            var posFreq = 1f / baseInverse[i];
            var extrapolation = 1f / posFreq;
            var interpolation = 1f / ((float)factor * posFreq);
            var ramp = Math.Clamp((float)((i - low) / (high - low)), 0f, 1f);
            var extrapolationFactor = 1f - ramp;
            inverse[i] = (interpolation * (1 - extrapolationFactor)) + (extrapolation * extrapolationFactor);
        }

        return new RotaryFrequencies(dim, inverse, null, null, (float)attention);
    }

    private static RotaryFrequencies LongRope(RopeConfig rope, int maxPositions)
    {
        var dim = rope.Dimensions;
        var original = rope.OriginalMaxPositions ?? maxPositions;
        var factor = rope.Factor;
        var attention = rope.AttentionFactor ?? (factor <= 1.0 ? 1.0 : Math.Sqrt(1 + (Math.Log(factor) / Math.Log(original))));
        float[] Inverse(IReadOnlyList<double> ext)
        {
            var result = new float[dim / 2];
            for (var i = 0; i < result.Length; i++)
            {
                var shape = (float)(2 * i) / dim;
                result[i] = 1f / ((float)ext[i] * (float)Math.Pow(rope.Theta, shape));
            }

            return result;
        }

        return new RotaryFrequencies(dim, Inverse(rope.ShortFactor!), Inverse(rope.LongFactor!), original, (float)attention);
    }
}
