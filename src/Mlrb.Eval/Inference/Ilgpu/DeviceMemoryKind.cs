namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>What an accelerator allocation holds, for the memory report.</summary>
internal enum DeviceMemoryKind
{
    /// <summary>Weights, norms, biases, embedding tables.</summary>
    Weights,

    /// <summary>Key/value caches.</summary>
    KeyValueCache,

    /// <summary>Activations, batch tables and other scratch.</summary>
    Workspace,
}
