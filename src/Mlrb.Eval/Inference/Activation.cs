namespace Mlrb.Eval.Inference;

/// <summary>Element-wise activation functions of the feed-forward block.</summary>
internal enum ActivationFunction
{
    /// <summary>GELU, tanh approximation (<c>gelu_new</c>, <c>gelu_pytorch_tanh</c>, <c>gelu_fast</c>).</summary>
    GeluTanh,

    /// <summary>GELU with the exact erf (<c>gelu</c>).</summary>
    GeluErf,

    /// <summary>ReLU.</summary>
    Relu,

    /// <summary>SiLU / swish.</summary>
    Silu,
}

/// <summary>A feed-forward activation: plain (<c>act(x)</c>) or gated (the input row is <c>[gate | up]</c>, the output <c>act(gate)·up</c>).</summary>
/// <param name="Function">The function.</param>
/// <param name="Gated">Whether the input holds a gate half and an up half.</param>
internal readonly record struct Activation(ActivationFunction Function, bool Gated);
