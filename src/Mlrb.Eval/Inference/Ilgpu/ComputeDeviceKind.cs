namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>The kinds of <see cref="ComputeDevice"/>.</summary>
internal enum ComputeDeviceKind
{
    /// <summary>The managed-SIMD CPU backend.</summary>
    Cpu,

    /// <summary>The ILGPU backend on ILGPU's CPU accelerator (GPU semantics on the CPU; for verification, slow).</summary>
    IlgpuCpu,

    /// <summary>The ILGPU backend on an NVIDIA GPU.</summary>
    Cuda,
}
