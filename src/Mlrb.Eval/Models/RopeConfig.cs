namespace Mlrb.Eval.Models;

/// <summary>Rotary position embedding settings (transformers' <c>rope_theta</c>, <c>partial_rotary_factor</c>, <c>rope_scaling</c>).</summary>
internal sealed record RopeConfig
{
    /// <summary>Base θ.</summary>
    public double Theta { get; init; } = 10000.0;

    /// <summary>Rotated elements at the start of each head (even).</summary>
    public required int Dimensions { get; init; }

    /// <summary>The scaling variant.</summary>
    public RopeScaling Scaling { get; init; } = RopeScaling.None;

    /// <summary><c>factor</c> (linear, dynamic, yarn, llama3, longrope).</summary>
    public double Factor { get; init; } = 1.0;

    /// <summary>The pretraining context: yarn, llama3 and longrope's <c>original_max_position_embeddings</c>.</summary>
    public int? OriginalMaxPositions { get; init; }

    /// <summary>Multiplies cos and sin (yarn, longrope); null for the variant's default.</summary>
    public double? AttentionFactor { get; init; }

    /// <summary>yarn <c>beta_fast</c>.</summary>
    public double BetaFast { get; init; } = 32;

    /// <summary>yarn <c>beta_slow</c>.</summary>
    public double BetaSlow { get; init; } = 1;

    /// <summary>yarn <c>mscale</c>.</summary>
    public double? MScale { get; init; }

    /// <summary>yarn <c>mscale_all_dim</c>.</summary>
    public double? MScaleAllDim { get; init; }

    /// <summary>yarn <c>truncate</c>.</summary>
    public bool Truncate { get; init; } = true;

    /// <summary>llama3 <c>low_freq_factor</c>.</summary>
    public double LowFrequencyFactor { get; init; } = 1;

    /// <summary>llama3 <c>high_freq_factor</c>.</summary>
    public double HighFrequencyFactor { get; init; } = 4;

    /// <summary>longrope <c>short_factor</c>, one per frequency.</summary>
    public IReadOnlyList<double>? ShortFactor { get; init; }

    /// <summary>longrope <c>long_factor</c>.</summary>
    public IReadOnlyList<double>? LongFactor { get; init; }
}

/// <summary>RoPE scaling variants.</summary>
internal enum RopeScaling
{
    /// <summary>Plain RoPE.</summary>
    None,

    /// <summary>Positions divided by the factor.</summary>
    Linear,

    /// <summary>Dynamic NTK: only changes frequencies beyond <c>max_position_embeddings</c>, which scoring never reaches.</summary>
    Dynamic,

    /// <summary>YaRN.</summary>
    Yarn,

    /// <summary>Llama 3.1's smooth low/high-frequency interpolation.</summary>
    Llama3,

    /// <summary>LongRoPE (Phi-3 <c>longrope</c>/<c>su</c>): short factors up to the original context, long factors beyond.</summary>
    LongRope,
}
