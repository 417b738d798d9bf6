using Mlrb.Eval.Inference.Ilgpu;

namespace Mlrb.Eval.Scoring;

/// <summary>
/// The devices <see cref="ModelScorerOptions.Device"/> accepts: <c>cpu</c> (the managed-SIMD engine, default), <c>ilgpu-cpu</c> (the ILGPU
/// backend on ILGPU's CPU accelerator: GPU kernels verified on the CPU, slow) and <c>cuda</c> / <c>cuda:N</c> (the ILGPU backend on an NVIDIA GPU).
/// </summary>
public static class ComputeDevices
{
    /// <summary>
    /// Checks that <paramref name="device"/> is a known device and present (opening an ILGPU accelerator once); returns the line to show
    /// the user before running on it (the CUDA honesty note), or null.
    /// </summary>
    /// <param name="device">A <c>--device</c> value.</param>
    /// <returns>A notice line, or null.</returns>
    /// <exception cref="ArgumentException">Unknown device, or no such CUDA device (one-line message).</exception>
    public static string? Check(string device)
    {
        var parsed = ComputeDevice.Parse(device);
        if (parsed.Kind == ComputeDeviceKind.Cpu)
        {
            return null;
        }

        var opened = IlgpuDevice.Open(parsed);
        return opened.IsCuda ? IlgpuDevice.CudaNotice : null;
    }

    /// <summary>
    /// One line on the accelerator memory held on <paramref name="device"/> by this process (peak weights, KV caches and workspace, and
    /// the device's free memory now), or null for <c>cpu</c> or a device not opened.
    /// </summary>
    /// <param name="device">A <c>--device</c> value.</param>
    /// <returns>The line, or null.</returns>
    public static string? DescribeMemory(string device)
    {
        if (ComputeDevice.Parse(device) is not { Kind: not ComputeDeviceKind.Cpu } parsed || IlgpuDevice.Find(parsed) is not { } opened)
        {
            return null;
        }

        var m = opened.Memory;
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{opened.Accelerator.Name}: weights {Mib(m.Peak(DeviceMemoryKind.Weights))}, KV cache {Mib(m.Peak(DeviceMemoryKind.KeyValueCache))} (peak), workspace {Mib(m.Peak(DeviceMemoryKind.Workspace))} (peak), all together {Mib(m.PeakTotal)} (peak); {Mib(opened.FreeBytes())} free");
    }

    private static string Mib(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB");
}
