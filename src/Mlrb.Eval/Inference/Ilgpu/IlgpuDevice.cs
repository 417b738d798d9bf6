using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>
/// An ILGPU context and accelerator with its compiled kernels and matrix product, opened once per process and device (kernels compile
/// once; the accelerator lives until the process ends).
/// </summary>
internal sealed partial class IlgpuDevice
{
    /// <summary>The line <c>--device cuda</c> prints until a run on NVIDIA hardware has verified this backend.</summary>
    public const string CudaNotice = "note: the ILGPU backend's kernels are verified on ILGPU's CPU accelerator, not yet on NVIDIA hardware.";

    private static readonly ConcurrentDictionary<ComputeDevice, Lazy<IlgpuDevice>> Opened = new();

    private IlgpuDevice(ComputeDevice device, Context context, Accelerator accelerator)
    {
        Device = device;
        Context = context;
        Accelerator = accelerator;
        Kernels = new IlgpuKernelSet(accelerator);
        IDeviceGemm? vendor = null;
        CreateVendorGemm(accelerator, ref vendor);
        // On the CPU accelerator group barriers synchronise OS threads: the barrier-free kernel is many times faster there.
        Gemm = vendor ?? (accelerator.AcceleratorType == AcceleratorType.CPU ? new DirectGemm(accelerator) : new TiledGemm(accelerator));
    }

    /// <summary>The device.</summary>
    public ComputeDevice Device { get; }

    /// <summary>The ILGPU context.</summary>
    public Context Context { get; }

    /// <summary>The accelerator.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The kernels.</summary>
    public IlgpuKernelSet Kernels { get; }

    /// <summary>The matrix product.</summary>
    public IDeviceGemm Gemm { get; }

    /// <summary>Accelerator memory held by every backend on this device, by kind, now and at the peak.</summary>
    public DeviceMemoryLedger Memory { get; } = new();

    /// <summary>Whether <paramref name="device"/> has been opened in this process; its device when so.</summary>
    public static IlgpuDevice? Find(ComputeDevice device)
        => Opened.TryGetValue(device, out var lazy) && lazy.IsValueCreated ? lazy.Value : null;

    /// <summary>Serializes launches from several backends (and threads) on the shared accelerator.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Whether this is an NVIDIA GPU.</summary>
    public bool IsCuda => Accelerator is CudaAccelerator;

    /// <summary>Opens (once) the accelerator of an ILGPU device; throws <see cref="ArgumentException"/> with a one-line message when it is absent.</summary>
    public static IlgpuDevice Open(ComputeDevice device)
    {
        if (device.Kind == ComputeDeviceKind.Cpu)
        {
            throw new ArgumentException("the cpu device is not an ILGPU device.", nameof(device));
        }

        var lazy = Opened.GetOrAdd(device, d => new Lazy<IlgpuDevice>(() => Create(d)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Opened.TryRemove(device, out _);
            throw;
        }
    }

    /// <summary>Bytes of accelerator memory free now (the CPU accelerator: the memory the GC may still use).</summary>
    public long FreeBytes()
    {
        if (Accelerator is CudaAccelerator cuda)
        {
            return cuda.GetFreeMemory();
        }

        var info = GC.GetGCMemoryInfo();
        return Math.Max(0, info.TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>Makes the accelerator current on this thread (CUDA contexts are per thread).</summary>
    public void Bind()
    {
        if (IsCuda)
        {
            Accelerator.Bind();
        }
    }

    private static IlgpuDevice Create(ComputeDevice device)
    {
        if (device.Kind == ComputeDeviceKind.IlgpuCpu)
        {
            var context = Context.Create(b => b.CPU().EnableAlgorithms());
            return new IlgpuDevice(device, context, context.CreateCPUAccelerator(0));
        }

        Context? cudaContext = null;
        try
        {
            cudaContext = Context.Create(b => b.Cuda().EnableAlgorithms());
            var devices = cudaContext.GetCudaDevices();
            if (devices.Count == 0)
            {
                throw new ArgumentException($"--device {device}: no CUDA device found (ILGPU found no NVIDIA GPU or driver); use --device cpu.");
            }

            if (device.Index >= devices.Count)
            {
                throw new ArgumentException($"--device {device}: there are only {devices.Count} CUDA device(s) (cuda:0 to cuda:{devices.Count - 1}).");
            }

            return new IlgpuDevice(device, cudaContext, cudaContext.CreateCudaAccelerator(device.Index));
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            cudaContext?.Dispose();
            throw new ArgumentException($"--device {device}: the CUDA device could not be opened ({ex.Message.Split('\n')[0].Trim()}); use --device cpu.", ex);
        }
        catch
        {
            cudaContext?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A vendor matrix product for <paramref name="accelerator"/> (cuBLAS on CUDA), implemented in another file of this class when
    /// present; left null, the ILGPU <see cref="TiledGemm"/> is used.
    /// </summary>
    static partial void CreateVendorGemm(Accelerator accelerator, ref IDeviceGemm? gemm);
}
