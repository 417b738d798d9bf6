using Mlrb.Eval.Inference.Cpu;
using Mlrb.Eval.Models;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>Creates the backend a <c>--device</c> value names, and sizes forward passes to an accelerator's free memory.</summary>
internal static class ComputeBackends
{
    /// <summary>The CPU backend, or an ILGPU backend on the named accelerator (opened once per process).</summary>
    public static IComputeBackend Create(string? device, int? threads, ComputePrecision precision)
    {
        var parsed = ComputeDevice.Parse(device);
        return parsed.Kind == ComputeDeviceKind.Cpu
            ? new CpuBackend(threads, precision)
            : new IlgpuBackend(IlgpuDevice.Open(parsed), precision);
    }

    /// <summary>
    /// The most tokens per forward pass whose activations and prefix caches fit in <paramref name="fraction"/> of the accelerator's
    /// free memory, capped at <paramref name="requested"/>; <paramref name="requested"/> itself on the CPU backend.
    /// </summary>
    public static int FitBatchTokens(DecoderModel model, int requested, double fraction)
    {
        if (model.Backend is not IlgpuBackend ilgpu)
        {
            return requested;
        }

        var c = model.Config;
        var qkv = (c.HeadCount + (2L * c.KeyValueHeadCount)) * c.HeadDimension;
        var up = 2L * Math.Max(c.IntermediateSize, c.HiddenSize);
        var perToken = 4 * ((6L * c.HiddenSize) + qkv + (c.HeadCount * c.HeadDimension) + (2 * up) + (2L * c.LayerCount * c.KeyValueHeadCount * c.HeadDimension));
        var logits = 4L * model.OutputWidth * 64; // a chunk of LM-head rows
        var budget = (long)(ilgpu.Device.FreeBytes() * Math.Clamp(fraction, 0.05, 1.0)) - logits;
        var fit = budget / Math.Max(1, perToken);
        return (int)Math.Clamp(fit, 16, requested);
    }
}
