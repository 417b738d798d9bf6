namespace Mlrb.Tasks;

/// <summary>The hardware a task may use.</summary>
/// <remarks>
/// The reference contradicts itself here: its task prompts and the paper (section 6 and Table 2) say one A100 40GB,
/// 128 GB RAM and 500 GB disk, while the tasks' README files say one A100 80GB and 80 GB RAM. Mlrb follows the paper:
/// every built-in task gets 40 GB of GPU memory and 128 GB of RAM.
/// </remarks>
public sealed record ComputeBudget
{
    /// <summary>GPU model, e.g. <c>NVIDIA A100</c>.</summary>
    public required string GpuKind { get; init; }

    /// <summary>Number of GPUs.</summary>
    public int GpuCount { get; init; } = 1;

    /// <summary>Memory of each GPU, in GB.</summary>
    public required int GpuMemoryGb { get; init; }

    /// <summary>Host memory, in GB.</summary>
    public required int RamGb { get; init; }

    /// <summary>Disk space, in GB.</summary>
    public required int DiskGb { get; init; }

    /// <summary>A one-line description such as <c>one NVIDIA A100 40GB GPU, 128 GB of RAM and 500 GB of disk</c>.</summary>
    public string Describe()
    {
        var gpus = GpuCount == 1 ? $"one {GpuKind} {GpuMemoryGb}GB GPU" : $"{GpuCount} {GpuKind} {GpuMemoryGb}GB GPUs";
        return $"{gpus}, {RamGb} GB of RAM and {DiskGb} GB of disk";
    }
}
