using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// <see cref="IDeviceGemm"/> without shared memory or barriers: one thread per output element, a plain loop along K. On ILGPU's CPU
/// accelerator every group barrier synchronises operating-system threads, which made <see cref="TiledGemm"/> the bulk of a CPU-accelerator
/// forward pass; this kernel computes the same sums (same order along K) without them. Used on the CPU accelerator only.
/// </summary>
internal sealed class DirectGemm : IDeviceGemm
{
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, GemmShape, ArrayView<float>> _kernel;

    /// <summary>Compiles the kernel for <paramref name="accelerator"/>.</summary>
    public DirectGemm(Accelerator accelerator)
        => _kernel = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, GemmShape, ArrayView<float>>(Kernel);

    /// <inheritdoc/>
    public string Name => "ILGPU direct";

    /// <inheritdoc/>
    public void Multiply(ArrayView<float> a, int m, DeviceMatrix w, ArrayView<float> c, bool accumulate, bool roundInputsToBFloat16)
    {
        if (m == 0 || w.Outputs == 0)
        {
            return;
        }

        var shape = new GemmShape(m, w.Outputs, w.Inputs, w.TypeCode, accumulate ? 1 : 0, roundInputsToBFloat16 ? 1 : 0);
        _kernel(new Index2D(w.Outputs, m), a, w.Single, w.Bits, shape, c);
    }

    /// <summary>The kernel: thread (n, m) computes <c>C[m, n] (+)= Σₖ A[m, k] · W[n, k]</c>.</summary>
    private static void Kernel(Index2D index, ArrayView<float> a, ArrayView<float> single, ArrayView<ushort> bits, GemmShape s, ArrayView<float> c)
    {
        var column = index.X;
        var row = index.Y;
        var aRow = (long)row * s.K;
        var wRow = (long)column * s.K;
        var sum = 0f;
        for (var k = 0; k < s.K; k++)
        {
            var av = a[aRow + k];
            if (s.RoundInputs != 0)
            {
                av = DeviceMath.RoundToBFloat16(av);
            }

            sum += av * DeviceMath.Load(single, bits, s.Type, wRow + k);
        }

        var at = ((long)row * s.N) + column;
        c[at] = s.Accumulate != 0 ? c[at] + sum : sum;
    }
}
