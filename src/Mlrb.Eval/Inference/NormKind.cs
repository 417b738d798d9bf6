namespace Mlrb.Eval.Inference;

/// <summary>Row normalizations.</summary>
internal enum NormKind
{
    /// <summary><c>(x − mean) / sqrt(var + eps) · weight + bias</c> (weight and bias optional).</summary>
    LayerNorm,

    /// <summary><c>x / sqrt(mean(x²) + eps) · weight</c>.</summary>
    RmsNorm,
}
