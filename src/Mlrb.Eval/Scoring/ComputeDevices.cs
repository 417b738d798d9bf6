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
}
