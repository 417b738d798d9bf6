using ILGPU;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// The matrix product of the ILGPU backend: <c>C[m, n] = (accumulate ? C : 0) + Σₖ A[m, k] · W[n, k]</c>, all row-major, A and C fp32,
/// W (<see cref="DeviceMatrix"/>) in its storage type (PyTorch <c>nn.Linear</c> layout, <c>[outputs, inputs]</c>) with fp32 accumulation.
/// <see cref="TiledGemm"/> (an ILGPU shared-memory kernel) runs everywhere, the CPU accelerator included; a vendor library (cuBLAS)
/// may implement it on its own accelerator. The bias is not part of the product (the backend adds it).
/// Calls are issued on the accelerator's default stream, in order with the backend's kernels.
/// </summary>
internal interface IDeviceGemm
{
    /// <summary>A short name for descriptions (e.g. <c>ILGPU tiled 16×16</c>, <c>cuBLAS</c>).</summary>
    string Name { get; }

    /// <summary>Runs the product.</summary>
    /// <param name="a">Activations <c>[m, W.Inputs]</c>.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="w">The weights.</param>
    /// <param name="c">Output <c>[m, W.Outputs]</c>.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="roundInputsToBFloat16">Round each A element to bf16 (round to nearest even) before multiplying (the bf16 compute mode).</param>
    void Multiply(ArrayView<float> a, int m, DeviceMatrix w, ArrayView<float> c, bool accumulate, bool roundInputsToBFloat16);
}
