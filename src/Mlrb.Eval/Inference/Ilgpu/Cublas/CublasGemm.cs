using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>
/// <see cref="IDeviceGemm"/> through cuBLAS on an ILGPU <see cref="CudaAccelerator"/>, on the accelerator's default stream (so it is
/// ordered with the ILGPU kernels around it). fp32 weights: <c>cublasSgemm_v2</c> under <c>CUBLAS_DEFAULT_MATH</c> (no TF32); fp16/bf16
/// weights in fp32 mode: blocks widened exactly to fp32 scratch, then Sgemm; bf16 mode: activations rounded to bf16, then
/// <c>cublasGemmEx</c> (bf16 × bf16 → fp32, fp32 accumulation, tensor cores). The call sequence is <see cref="CublasGemmPlan"/>.
/// UNVERIFIED on NVIDIA hardware: no run on a GPU has happened yet.
/// </summary>
internal sealed class CublasGemm : IDeviceGemm, IDisposable
{
    private readonly CudaAccelerator _accelerator;
    private readonly CublasHandle _handle;
    private readonly IDeviceGemm _fallback;
    private readonly string _libraryPath;
    private readonly Action<Index1D, ArrayView<ushort>, int, ArrayView<float>> _widen;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<ushort>> _round;
    private MemoryBuffer1D<float, Stride1D.Dense>? _weightScratch;
    private MemoryBuffer1D<ushort, Stride1D.Dense>? _inputScratch;

    private CublasGemm(CudaAccelerator accelerator, CublasHandle handle, string libraryPath, IDeviceGemm fallback)
    {
        _accelerator = accelerator;
        _libraryPath = libraryPath;
        _handle = handle;
        _fallback = fallback;
        _widen = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<ushort>, int, ArrayView<float>>(WidenKernel);
        _round = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<ushort>>(RoundKernel);
    }

    /// <inheritdoc/>
    public string Name => $"cuBLAS {_handle.Version} ({_libraryPath})";

    /// <summary>Loads cuBLAS and creates a handle on <paramref name="accelerator"/>'s default stream; throws <see cref="CublasException"/> (one line) without cuBLAS.</summary>
    public static CublasGemm Create(CudaAccelerator accelerator, IDeviceGemm fallback)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var api = CublasApi.Bind(CublasLibrary.Load());
        accelerator.Bind();
        var stream = ((CudaStream)accelerator.DefaultStream).StreamPtr;
        return new CublasGemm(accelerator, CublasHandle.Create(api, stream), api.Library.Path, fallback);
    }

    /// <inheritdoc/>
    public void Multiply(ArrayView<float> a, int m, DeviceMatrix w, ArrayView<float> c, bool accumulate, bool roundInputsToBFloat16)
    {
        ArgumentNullException.ThrowIfNull(w);
        _accelerator.Bind();
        var inputs = w.Inputs;
        foreach (var step in CublasGemmPlan.Steps(m, inputs, w.Outputs, w.StorageType, accumulate, roundInputsToBFloat16))
        {
            switch (step.Kind)
            {
                case CublasGemmStepKind.Sgemm:
                    _handle.Sgemm(step.Call, Address(w.Single), Address(a), Address(c));
                    break;
                case CublasGemmStepKind.WidenThenSgemm:
                {
                    var count = (long)step.WeightRows * inputs;
                    var scratch = WeightScratch(count);
                    _widen((int)count, w.Bits.SubView(step.WeightOffset(inputs), count), w.TypeCode, scratch);
                    _handle.Sgemm(step.Call, Address(scratch), Address(a), Address(c.SubView(step.OutputOffset)));
                    break;
                }

                case CublasGemmStepKind.RoundThenGemmExBFloat16:
                {
                    var count = (long)m * inputs;
                    var rounded = InputScratch(count);
                    _round((int)count, a.SubView(0, count), rounded);
                    _handle.GemmEx(step.Call, Address(w.Bits), Address(rounded), CudaDataType.R16BF, Address(c));
                    break;
                }

                default:
                    _fallback.Multiply(a, m, w, c, accumulate, roundInputsToBFloat16);
                    break;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _handle.Dispose();
        _weightScratch?.Dispose();
        _inputScratch?.Dispose();
    }

    private static nint Address<T>(ArrayView<T> view)
        where T : unmanaged
        => view.LoadEffectiveAddressAsPtr();

    private ArrayView<float> WeightScratch(long count)
    {
        if (_weightScratch is null || _weightScratch.Length < count)
        {
            _weightScratch?.Dispose();
            _weightScratch = _accelerator.Allocate1D<float>(Math.Max(count, CublasGemmPlan.DefaultScratchElements));
        }

        return _weightScratch.View.SubView(0, count);
    }

    private ArrayView<ushort> InputScratch(long count)
    {
        if (_inputScratch is null || _inputScratch.Length < count)
        {
            _inputScratch?.Dispose();
            _inputScratch = _accelerator.Allocate1D<ushort>(count * 2);
        }

        return _inputScratch.View.SubView(0, count);
    }

    private static void WidenKernel(Index1D i, ArrayView<ushort> bits, int type, ArrayView<float> output)
        => output[i] = DeviceMath.Widen(bits[i], type);

    private static void RoundKernel(Index1D i, ArrayView<float> input, ArrayView<ushort> output)
        => output[i] = (ushort)(Interop.FloatAsInt(DeviceMath.RoundToBFloat16(input[i])) >> 16);
}
