using System.CommandLine;
using Mlrb.Eval.Scoring;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>--device cpu|ilgpu-cpu|cuda[:N]</c> option of the verbs that run a model.</summary>
internal static class DeviceOption
{
    /// <summary>Creates the option (default <c>cpu</c>).</summary>
    public static Option<string> Create()
        => new("--device")
        {
            Description = "cpu (default), ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator; slow, for verification) or cuda / cuda:N (NVIDIA GPU through ILGPU).",
            DefaultValueFactory = _ => "cpu",
        };

    /// <summary>
    /// Checks that <paramref name="device"/> is known and present (<see cref="ComputeDevices.Check"/>: <see cref="ArgumentException"/> with a
    /// one-line message otherwise) and writes its notice, if any (the CUDA honesty line), to <paramref name="error"/>.
    /// </summary>
    public static void CheckAndAnnounce(string device, TextWriter error)
    {
        if (ComputeDevices.Check(device) is { } notice)
        {
            error.WriteLine(notice);
        }
    }
}
