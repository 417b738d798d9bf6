using ILGPU;
using ILGPU.Runtime;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// <see cref="IComputeBackend"/> on an ILGPU accelerator (an NVIDIA GPU through CUDA, or ILGPU's CPU accelerator, which runs the same
/// kernels with GPU semantics). Weights stay on the accelerator in their checkpoint dtype (fp16/bf16 widened inside the kernels),
/// activations are fp32; matrix products go through the device's <see cref="IDeviceGemm"/>. Every operation is issued on the
/// accelerator's default stream; copies to the host synchronize.
/// </summary>
internal sealed partial class IlgpuBackend : IComputeBackend
{
    private readonly IlgpuDevice _device;
    private readonly Accelerator _accelerator;
    private readonly IlgpuKernelSet _k;
    private readonly Staging<int> _tokens;
    private readonly Staging<int> _positions;
    private readonly Staging<int> _outputRows;
    private readonly Staging<float> _cos;
    private readonly Staging<float> _sin;
    private readonly Staging<int> _targetRows;
    private readonly Staging<int> _targetIds;
    private readonly Staging<float> _targetLogits;
    private readonly Staging<double> _logSumExp;
    private readonly Staging<int> _argMax;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _emptyFloats;
    private readonly MemoryBuffer1D<ushort, Stride1D.Dense> _emptyBits;
    private readonly IDeviceGemm _gemm;
    private bool _prepared;

    /// <summary>Creates a backend on <paramref name="device"/>.</summary>
    /// <param name="device">An opened ILGPU device.</param>
    /// <param name="precision">Matrix-product arithmetic.</param>
    /// <param name="gemm">The matrix product to use instead of the device's (tests run each kernel this way).</param>
    public IlgpuBackend(IlgpuDevice device, ComputePrecision precision = ComputePrecision.Float32, IDeviceGemm? gemm = null)
    {
        _device = device;
        _gemm = gemm ?? device.Gemm;
        _accelerator = device.Accelerator;
        _k = device.Kernels;
        Precision = precision;
        var a = _accelerator;
        _tokens = new(a, Memory);
        _positions = new(a, Memory);
        _outputRows = new(a, Memory);
        _cos = new(a, Memory);
        _sin = new(a, Memory);
        _targetRows = new(a, Memory);
        _targetIds = new(a, Memory);
        _targetLogits = new(a, Memory);
        _logSumExp = new(a, Memory);
        _argMax = new(a, Memory);
        _emptyFloats = a.Allocate1D<float>(1);
        _emptyBits = a.Allocate1D<ushort>(1);
    }

    /// <inheritdoc/>
    public string Description
        => $"ilgpu: {_accelerator.Name} ({_device.Device}), {_gemm.Name} GEMM, {(Precision == ComputePrecision.Float32 ? "fp32" : "bf16 inputs with fp32 accumulation")}";

    /// <inheritdoc/>
    public ComputePrecision Precision { get; }

    /// <inheritdoc/>
    public ParallelOptions Parallel { get; set; } = new();

    /// <summary>Accelerator memory held on this backend's device (weights, KV caches, workspace), now and at the peak.</summary>
    public DeviceMemoryLedger Memory => _device.Memory;

    /// <summary>The device.</summary>
    public IlgpuDevice Device => _device;

    /// <inheritdoc/>
    public DeviceBuffer Allocate(long length)
        => Locked(() => IlgpuBuffer.Allocate(_accelerator, Memory, DeviceMemoryKind.Workspace, length));

    /// <inheritdoc/>
    public DeviceBuffer AllocateCache(long length)
        => Locked(() => IlgpuBuffer.Allocate(_accelerator, Memory, DeviceMemoryKind.KeyValueCache, length));

    /// <inheritdoc/>
    public DeviceBuffer Upload(ReadOnlySpan<float> values)
    {
        lock (_device.Gate)
        {
            _device.Bind();
            var buffer = IlgpuBuffer.Allocate(_accelerator, Memory, _prepared ? DeviceMemoryKind.Workspace : DeviceMemoryKind.Weights, values.Length);
            if (values.Length > 0)
            {
                buffer.View.CopyFromCPU(_accelerator.DefaultStream, values);
                _accelerator.DefaultStream.Synchronize();
            }

            return buffer;
        }
    }

    /// <inheritdoc/>
    public void Download(DeviceBuffer source, Span<float> destination)
    {
        lock (_device.Gate)
        {
            _device.Bind();
            if (destination.Length > 0)
            {
                IlgpuBuffer.Of(source).View.SubView(0, destination.Length).CopyToCPU(_accelerator.DefaultStream, destination);
            }

            _accelerator.DefaultStream.Synchronize();
        }
    }

    /// <inheritdoc/>
    public void Copy(DeviceBuffer source, DeviceBuffer destination, long count)
    {
        if (count == 0)
        {
            return;
        }

        lock (_device.Gate)
        {
            _device.Bind();
            var target = IlgpuBuffer.Of(destination).View.SubView(0, count);
            IlgpuBuffer.Of(source).View.SubView(0, count).CopyTo(_accelerator.DefaultStream, target);
        }
    }

    /// <inheritdoc/>
    public DeviceBatch Prepare(ForwardBatch batch, int[] positions, float[] rotaryCos, float[] rotarySin)
    {
        lock (_device.Gate)
        {
            _device.Bind();
            _prepared = true;
            return new IlgpuBatch(
                batch,
                positions,
                _tokens.Upload(batch.Tokens),
                _positions.Upload(positions),
                _outputRows.Upload(batch.OutputRows),
                _cos.Upload(rotaryCos),
                _sin.Upload(rotarySin));
        }
    }

    private T Locked<T>(Func<T> body)
    {
        lock (_device.Gate)
        {
            _device.Bind();
            return body();
        }
    }

    private void Locked(Action body)
    {
        lock (_device.Gate)
        {
            _device.Bind();
            body();
        }
    }

    private static IlgpuBatch Batch(DeviceBatch batch)
        => batch as IlgpuBatch ?? throw new ArgumentException($"a {batch.GetType().Name} is not an ILGPU batch.", nameof(batch));

    private static DeviceMatrix Matrix(LinearWeights weights)
        => weights as DeviceMatrix ?? throw new ArgumentException($"a {weights.GetType().Name} is not ILGPU weights; weights cannot be shared between backends.", nameof(weights));
}
