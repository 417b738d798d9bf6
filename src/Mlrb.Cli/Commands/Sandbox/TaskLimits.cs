using System.Globalization;
using Mlrb.Tasks;
using Mlrb.Tools;

namespace Mlrb.Cli.Commands.Sandbox;

/// <summary>The limits of a run's tool processes: the task's compute budget, overridden by the command line's flags.</summary>
internal static class TaskLimits
{
    /// <summary>
    /// Memory from the task's RAM, workspace size from its disk, no GPU when it asks for none; then every flag given.
    /// </summary>
    /// <param name="compute">The task's budget (null when the task is unknown, e.g. a resumed custom task).</param>
    /// <param name="flags">The flags given: null members (and an empty <see cref="ProcessLimits.Gpus"/>) were not given.</param>
    /// <returns>The limits.</returns>
    public static ProcessLimits Resolve(ComputeBudget? compute, ProcessLimits? flags)
    {
        var limits = new ProcessLimits();
        if (compute is not null)
        {
            limits.MemoryBytes = compute.RamGb > 0 ? compute.RamGb * (1L << 30) : null;
            limits.MaxWorkspaceBytes = compute.DiskGb > 0 ? compute.DiskGb * (1L << 30) : null;
            if (compute.GpuCount == 0)
            {
                limits.Gpus = "none";
            }
        }

        if (flags is not null)
        {
            limits.MaxProcesses = flags.MaxProcesses ?? limits.MaxProcesses;
            limits.MemoryBytes = flags.MemoryBytes ?? limits.MemoryBytes;
            limits.CpuSet = flags.CpuSet ?? limits.CpuSet;
            limits.MaxFileSizeBytes = flags.MaxFileSizeBytes ?? limits.MaxFileSizeBytes;
            limits.MaxWorkspaceBytes = flags.MaxWorkspaceBytes ?? limits.MaxWorkspaceBytes;
            limits.Gpus = string.IsNullOrEmpty(flags.Gpus) ? limits.Gpus : flags.Gpus;
        }

        return limits;
    }

    /// <summary>One line for the log: what was asked for.</summary>
    /// <param name="l">The limits.</param>
    /// <returns>The line.</returns>
    public static string Describe(ProcessLimits l)
    {
        static string Size(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / (double)(1L << 30):0.##} GiB") : "none";
        return $"processes {l.MaxProcesses?.ToString(CultureInfo.InvariantCulture) ?? "none"}, memory {Size(l.MemoryBytes)}, CPUs {l.CpuSet ?? "all"}, file size {Size(l.MaxFileSizeBytes)}, workspace {Size(l.MaxWorkspaceBytes)}, GPUs {l.Gpus}";
    }
}
