using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// <see cref="IDeviceGemm"/> as an ILGPU kernel: square thread groups of <c>tile × tile</c>, each thread one output element; the group
/// stages a <c>tile × tile</c> block of A and of W in shared memory per step along K (weights widened from their storage type on load).
/// Runs on every ILGPU accelerator; on NVIDIA GPUs a vendor GEMM is faster.
/// </summary>
internal sealed class TiledGemm : IDeviceGemm
{
    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, GemmShape, ArrayView<float>> _kernel;
    private readonly int _tile;

    /// <summary>Compiles the kernel for <paramref name="accelerator"/>; the tile is the largest power of two up to 16 whose square fits a group.</summary>
    public TiledGemm(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<ushort>, GemmShape, ArrayView<float>>(Kernel);
        _tile = 16;
        while (_tile > 1 && _tile * _tile > accelerator.MaxNumThreadsPerGroup)
        {
            _tile /= 2;
        }
    }

    /// <inheritdoc/>
    public string Name => $"ILGPU tiled {_tile}×{_tile}";

    /// <inheritdoc/>
    public void Multiply(ArrayView<float> a, int m, DeviceMatrix w, ArrayView<float> c, bool accumulate, bool roundInputsToBFloat16)
    {
        if (m == 0 || w.Outputs == 0)
        {
            return;
        }

        var grid = new Index2D((w.Outputs + _tile - 1) / _tile, (m + _tile - 1) / _tile);
        var config = new KernelConfig(grid, new Index2D(_tile, _tile), SharedMemoryConfig.RequestDynamic<float>(2 * _tile * _tile));
        var shape = new GemmShape(m, w.Outputs, w.Inputs, w.TypeCode, accumulate ? 1 : 0, roundInputsToBFloat16 ? 1 : 0);
        _kernel(config, a, w.Single, w.Bits, shape, c);
    }

    /// <summary>The kernel: <c>C[m, n] (+)= Σₖ A[m, k] · W[n, k]</c>.</summary>
    private static void Kernel(ArrayView<float> a, ArrayView<float> single, ArrayView<ushort> bits, GemmShape s, ArrayView<float> c)
    {
        var tile = Group.DimX;
        var shared = SharedMemory.GetDynamic<float>();
        var tx = Group.IdxX;
        var ty = Group.IdxY;
        var row = (Grid.IdxY * tile) + ty;      // row of A and C
        var column = (Grid.IdxX * tile) + tx;   // row of W, column of C
        var wRow = (Grid.IdxX * tile) + ty;     // the W row this thread stages
        var sum = 0f;
        for (var k0 = 0; k0 < s.K; k0 += tile)
        {
            var k = k0 + tx;
            var av = row < s.M && k < s.K ? a[((long)row * s.K) + k] : 0f;
            if (s.RoundInputs != 0)
            {
                av = DeviceMath.RoundToBFloat16(av);
            }

            shared[(ty * tile) + tx] = av;
            shared[(tile * tile) + (ty * tile) + tx] = wRow < s.N && k < s.K ? DeviceMath.Load(single, bits, s.Type, ((long)wRow * s.K) + k) : 0f;
            Group.Barrier();
            for (var kk = 0; kk < tile; kk++)
            {
                sum += shared[(ty * tile) + kk] * shared[(tile * tile) + (tx * tile) + kk];
            }

            Group.Barrier();
        }

        if (row < s.M && column < s.N)
        {
            var at = ((long)row * s.N) + column;
            c[at] = s.Accumulate != 0 ? c[at] + sum : sum;
        }
    }
}
