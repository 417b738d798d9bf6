using System.Globalization;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>Where a model runs: <c>cpu</c> (the SIMD engine), <c>ilgpu-cpu</c> (ILGPU's CPU accelerator) or <c>cuda[:N]</c>.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Index">The CUDA device ordinal (0 unless <c>cuda:N</c>).</param>
internal readonly record struct ComputeDevice(ComputeDeviceKind Kind, int Index)
{
    /// <summary>The default device.</summary>
    public static ComputeDevice Cpu => new(ComputeDeviceKind.Cpu, 0);

    /// <summary>Parses a <c>--device</c> value; throws <see cref="ArgumentException"/> with a one-line message when it is not one.</summary>
    public static ComputeDevice Parse(string? text)
    {
        var value = (text ?? "cpu").Trim().ToLowerInvariant();
        switch (value)
        {
            case "cpu":
                return Cpu;
            case "ilgpu-cpu":
                return new ComputeDevice(ComputeDeviceKind.IlgpuCpu, 0);
            case "cuda":
                return new ComputeDevice(ComputeDeviceKind.Cuda, 0);
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new ComputeDevice(ComputeDeviceKind.Cuda, index);
        }

        throw new ArgumentException($"--device {text}: unknown device; use cpu, ilgpu-cpu, cuda or cuda:N.");
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ComputeDeviceKind.Cpu => "cpu",
        ComputeDeviceKind.IlgpuCpu => "ilgpu-cpu",
        _ => string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}"),
    };
}
