using System.Globalization;

namespace Mlrb.Tools.Processes;

/// <summary>
/// Finds where this process may create control groups: cgroup v2 (one unified hierarchy, the <c>pids</c>, <c>memory</c>
/// and <c>cpuset</c> controllers enabled for children) or v1 (one hierarchy per controller). Groups are created beneath
/// this process's own group, so limits set above it still hold. Probed once per process.
/// </summary>
internal sealed class ControlGroups
{
    private static readonly Lazy<ControlGroups> Probed = new(() => Probe("/proc/self/mountinfo", "/proc/self/cgroup"));
    private static readonly string[] Controllers = ["pids", "memory", "cpuset"];
    private static int s_sequence;
    private static int s_swept;

    private ControlGroups(int version, IReadOnlyDictionary<string, string> parents, string? failure)
    {
        Version = version;
        Parents = parents;
        Failure = failure;
    }

    /// <summary>Tests set it to exercise the paths used where no control group can be created.</summary>
    internal static bool DisabledForTests { get; set; }

    /// <summary>What this process can use.</summary>
    public static ControlGroups Current => Probed.Value;

    /// <summary>2, 1, or 0 when neither is usable.</summary>
    public int Version { get; }

    /// <summary>Controller (or <c>""</c> for v2) to the folder new groups are created in.</summary>
    public IReadOnlyDictionary<string, string> Parents { get; }

    /// <summary>Why no control group can be used, when none can.</summary>
    public string? Failure { get; }

    /// <summary>Whether <paramref name="controller"/> (<c>pids</c>, <c>memory</c>, <c>cpuset</c>) is available.</summary>
    /// <param name="controller">The controller.</param>
    /// <returns>True when groups with it can be created.</returns>
    public bool Has(string controller) => Version == 2 ? Parents.ContainsKey("") && V2Controllers.Contains(controller) : Parents.ContainsKey(controller);

    private HashSet<string> V2Controllers { get; init; } = [];

    /// <summary>Creates the groups of one call with <paramref name="limits"/> written; null when none is usable.</summary>
    /// <param name="limits">The limits.</param>
    /// <param name="error">Why creating them failed.</param>
    /// <returns>The call's group, or null.</returns>
    public CallGroup? Create(ProcessLimits limits, out string? error)
    {
        error = null;
        if (Version == 0 || DisabledForTests)
        {
            return null;
        }

        if (Interlocked.Exchange(ref s_swept, 1) == 0)
        {
            SweepStale();
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"mlrb-{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence)}");
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (Version == 2)
            {
                var dir = Path.Combine(Parents[""], name);
                Directory.CreateDirectory(dir);
                folders[""] = dir;
                if (limits.MaxProcesses is { } pids && Has("pids"))
                {
                    Write(dir, "pids.max", pids);
                }

                if (limits.MemoryBytes is { } memory && Has("memory"))
                {
                    Write(dir, "memory.max", memory);
                    TryWrite(dir, "memory.swap.max", "0");
                }

                if (limits.CpuSet is { } cpus && Has("cpuset"))
                {
                    File.WriteAllText(Path.Combine(dir, "cpuset.cpus"), cpus);
                }
            }
            else
            {
                foreach (var (controller, parent) in Parents)
                {
                    var dir = Path.Combine(parent, name);
                    Directory.CreateDirectory(dir);
                    folders[controller] = dir;
                    switch (controller)
                    {
                        case "pids":
                            Write(dir, "pids.max", limits.MaxProcesses is { } p ? p.ToString(CultureInfo.InvariantCulture) : "max");
                            break;
                        case "memory" when limits.MemoryBytes is { } m:
                            Write(dir, "memory.limit_in_bytes", m);
                            TryWrite(dir, "memory.memsw.limit_in_bytes", m.ToString(CultureInfo.InvariantCulture));
                            break;
                        case "cpuset":
                            // A new v1 cpuset is empty: it must get CPUs and memory nodes before a task may join.
                            File.WriteAllText(Path.Combine(dir, "cpuset.cpus"), limits.CpuSet ?? File.ReadAllText(Path.Combine(parent, "cpuset.cpus")).Trim());
                            File.WriteAllText(Path.Combine(dir, "cpuset.mems"), File.ReadAllText(Path.Combine(parent, "cpuset.mems")).Trim());
                            break;
                    }
                }
            }

            return new CallGroup(Version, folders);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"could not set up a control group for the limits ({ex.Message})";
            new CallGroup(Version, folders).Dispose();
            return null;
        }
    }

    /// <summary>Kills and removes the call groups of Mlrb processes that no longer exist (their watchdog died with them).</summary>
    private void SweepStale()
    {
        foreach (var parent in Parents.Values)
        {
            try
            {
                foreach (var dir in Directory.EnumerateDirectories(parent, "mlrb-*-*"))
                {
                    var parts = Path.GetFileName(dir).Split('-');
                    if (parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var owner) && owner != Environment.ProcessId && !Directory.Exists($"/proc/{owner}"))
                    {
                        new CallGroup(Version, new Dictionary<string, string> { ["stale"] = dir }).Dispose();
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort.
            }
        }
    }

    /// <summary>Probes from the given mount table and membership file (injected for tests).</summary>
    /// <param name="mountInfo">Normally <c>/proc/self/mountinfo</c>.</param>
    /// <param name="membership">Normally <c>/proc/self/cgroup</c>.</param>
    /// <returns>What is usable.</returns>
    internal static ControlGroups Probe(string mountInfo, string membership)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new ControlGroups(0, new Dictionary<string, string>(), "control groups exist only on Linux");
        }

        try
        {
            var mounts = File.ReadAllLines(mountInfo).Select(l => l.Split(' ')).Where(f => f.Length > 6).Select(f =>
            {
                var dash = Array.IndexOf(f, "-");
                return (Point: Unescape(f[4]), Type: dash > 0 ? f[dash + 1] : "", Options: dash > 0 && f.Length > dash + 3 ? f[dash + 3] : "");
            }).ToList();
            var member = File.ReadAllLines(membership).Select(l => l.Split(':', 3)).Where(f => f.Length == 3).ToList();

            // v1 controllers first: on a hybrid system the unified hierarchy holds no controllers.
            var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var controller in Controllers)
            {
                var mount = mounts.FirstOrDefault(m => m.Type == "cgroup" && m.Options.Split(',').Contains(controller));
                var own = member.FirstOrDefault(f => f[1].Split(',').Contains(controller));
                if (mount.Point is null || own is null)
                {
                    continue;
                }

                var parent = Path.Join(mount.Point, own[2]);
                if (Writable(parent))
                {
                    v1[controller] = parent;
                }
            }

            if (v1.Count > 0)
            {
                return new ControlGroups(1, v1, null);
            }

            var unified = mounts.FirstOrDefault(m => m.Type == "cgroup2");
            var own2 = member.FirstOrDefault(f => f[0] == "0" && f[1].Length == 0);
            if (unified.Point is null || own2 is null)
            {
                return new ControlGroups(0, new Dictionary<string, string>(), "no cgroup v1 controller or cgroup v2 hierarchy is mounted");
            }

            return ProbeV2(Path.Join(unified.Point, own2[2]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ControlGroups(0, new Dictionary<string, string>(), "control groups could not be read: " + ex.Message);
        }
    }

    /// <summary>
    /// cgroup v2 lets a group with processes have no controlled children, so this process moves itself into a leaf
    /// (<c>mlrb-server</c>) of its own group and enables the controllers for their siblings.
    /// </summary>
    private static ControlGroups ProbeV2(string own)
    {
        var none = new Dictionary<string, string>();
        var available = File.Exists(Path.Combine(own, "cgroup.controllers"))
            ? File.ReadAllText(Path.Combine(own, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : [];
        var wanted = Controllers.Where(available.Contains).ToList();
        if (wanted.Count == 0 || !Writable(own))
        {
            return new ControlGroups(0, none, $"the cgroup v2 group {own} is not writable here or has no pids/memory/cpuset controller (a user session needs delegation)");
        }

        try
        {
            var parent = own;
            if (!Path.GetFileName(own).StartsWith("mlrb-server", StringComparison.Ordinal))
            {
                var leaf = Path.Combine(own, "mlrb-server");
                Directory.CreateDirectory(leaf);
                foreach (var pid in File.ReadAllLines(Path.Combine(own, "cgroup.procs")))
                {
                    TryWrite(leaf, "cgroup.procs", pid);
                }
            }
            else
            {
                parent = Path.GetDirectoryName(own)!;
            }

            File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), string.Join(' ', wanted.Select(c => "+" + c)));
            var enabled = File.ReadAllText(Path.Combine(parent, "cgroup.subtree_control")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return new ControlGroups(2, new Dictionary<string, string> { [""] = parent }, null) { V2Controllers = enabled };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ControlGroups(0, none, $"cgroup v2 controllers could not be enabled under {own}: {ex.Message}");
        }
    }

    private static bool Writable(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return false;
        }

        var probe = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"mlrb-probe-{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence)}"));
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);

    private static void Write(string dir, string file, long value) => File.WriteAllText(Path.Combine(dir, file), value.ToString(CultureInfo.InvariantCulture));

    private static void Write(string dir, string file, string value) => File.WriteAllText(Path.Combine(dir, file), value);

    private static void TryWrite(string dir, string file, string value)
    {
        try
        {
            File.WriteAllText(Path.Combine(dir, file), value);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Optional knob (swap accounting may be off).
        }
    }
}
