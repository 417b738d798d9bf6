namespace Mlrb.Tools;

/// <summary>
/// Resource limits for the processes a tool call starts, enforced by the kernel: a control group per call (cgroup v2, or
/// the v1 <c>pids</c>, <c>memory</c> and <c>cpuset</c> controllers) when this process may create one, else resource limits
/// (<c>setrlimit</c>) and CPU affinity. Null leaves a limit off.
/// </summary>
public sealed class ProcessLimits
{
    /// <summary>The default for <see cref="MaxProcesses"/>.</summary>
    public const int DefaultMaxProcesses = 4096;

    /// <summary>
    /// Most processes and threads alive at once in one call (cgroup <c>pids.max</c>; without a control group,
    /// <c>RLIMIT_NPROC</c>, which counts all of the user's processes and does not bind root). Default 4096.
    /// </summary>
    public int? MaxProcesses { get; set; } = DefaultMaxProcesses;

    /// <summary>Most memory a call's processes may use together, in bytes (cgroup <c>memory.max</c> / <c>memory.limit_in_bytes</c>; without one, <c>RLIMIT_AS</c> per process).</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>CPUs the processes may run on, in cpuset syntax (<c>0-3,6</c>): cgroup <c>cpuset.cpus</c>, else CPU affinity.</summary>
    public string? CpuSet { get; set; }

    /// <summary>Largest file a process may write, in bytes (<c>RLIMIT_FSIZE</c>; a larger write fails with <c>EFBIG</c>).</summary>
    public long? MaxFileSizeBytes { get; set; }

    /// <summary>
    /// Most bytes the workspace may hold. Checked before and after every process and file tool call: over it, a call is
    /// refused with a tool error saying so (the kernel does not enforce it).
    /// </summary>
    public long? MaxWorkspaceBytes { get; set; }

    /// <summary>
    /// GPUs the processes see: <c>all</c> (default: every GPU device node is bound into the sandbox and
    /// <c>CUDA_VISIBLE_DEVICES</c> is passed on as set here), <c>none</c> (no GPU device node, <c>CUDA_VISIBLE_DEVICES</c>
    /// empty) or comma-separated indices such as <c>0,2</c> (only those device nodes, <c>CUDA_VISIBLE_DEVICES</c> set to them).
    /// </summary>
    public string Gpus { get; set; } = "all";

    /// <summary>A copy, so a per-run override does not change the shared options.</summary>
    /// <returns>The copy.</returns>
    public ProcessLimits Clone() => (ProcessLimits)MemberwiseClone();
}
