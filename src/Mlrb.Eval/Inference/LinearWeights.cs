namespace Mlrb.Eval.Inference;

/// <summary>A linear layer's weights (and optional bias) resident on a backend, in the layout its matrix product wants.</summary>
internal abstract class LinearWeights
{
    /// <summary>Input features (K).</summary>
    public abstract int Inputs { get; }

    /// <summary>Output features (N).</summary>
    public abstract int Outputs { get; }

    /// <summary>The element type the weights are stored in.</summary>
    public abstract WeightType StorageType { get; }

    /// <summary>Bytes held (padding included).</summary>
    public abstract long Bytes { get; }
}
