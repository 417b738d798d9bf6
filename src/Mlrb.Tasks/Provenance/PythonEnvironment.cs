namespace Mlrb.Tasks.Provenance;

/// <summary>What the agent's Python can do, as probed through the tools' sandbox: its version, which packages import, whether a GPU is visible.</summary>
public sealed record PythonEnvironment
{
    /// <summary>The interpreter that was asked (a name on PATH or a path).</summary>
    public required string Executable { get; init; }

    /// <summary>The interpreter's own path (<c>sys.executable</c>), when it ran.</summary>
    public string? ResolvedExecutable { get; init; }

    /// <summary>The Python version, e.g. <c>3.11.2</c>; null when the interpreter did not run.</summary>
    public string? Version { get; init; }

    /// <summary>Every probed package by import name: its version when it imports (empty when it has none), null when it does not import.</summary>
    public IReadOnlyDictionary<string, string?> Packages { get; init; } = new Dictionary<string, string?>();

    /// <summary>Whether torch sees a CUDA device; null when torch does not import.</summary>
    public bool? GpuVisible { get; init; }

    /// <summary>The CUDA devices torch sees.</summary>
    public IReadOnlyList<string> GpuDevices { get; init; } = [];

    /// <summary>Why the probe failed (interpreter missing, timeout, unreadable output); null when it worked.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The resource limits the agent's processes run under, as the sandbox enforced them for the probe (the same as for
    /// every tool call: processes, memory, CPU set, file size, workspace size, GPUs, and by what — cgroup or rlimit).
    /// </summary>
    public string? LimitsInForce { get; init; }

    /// <summary>The packages that import, in probe order.</summary>
    /// <returns>Import names.</returns>
    public IReadOnlyList<string> Installed() => Packages.Where(p => p.Value is not null).Select(p => p.Key).ToList();

    /// <summary>The packages of <paramref name="needed"/> that do not import (all of them when the probe failed).</summary>
    /// <param name="needed">Import names.</param>
    /// <returns>The missing ones, in the given order.</returns>
    public IReadOnlyList<string> Missing(IEnumerable<string> needed)
    {
        ArgumentNullException.ThrowIfNull(needed);
        return needed.Where(n => !Packages.TryGetValue(n, out var version) || version is null).Distinct(StringComparer.Ordinal).ToList();
    }
}
