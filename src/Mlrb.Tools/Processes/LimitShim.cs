using System.Globalization;

namespace Mlrb.Tools.Processes;

/// <summary>
/// The command prefix that puts a child under its limits before it executes anything: a <c>/bin/sh</c> that writes its
/// pid into the call's control groups, sets the resource limits (<c>ulimit</c>: hard and soft, unless the hard limit
/// already in force is lower) and executes the rest,
/// optionally through <c>taskset</c> for the CPU set when no cpuset group holds it.
/// </summary>
internal static class LimitShim
{
    private const string Script = """
        f=$1 v=$2 u=$3; shift 3
        while [ "$1" != "--" ]; do echo $$ > "$1" || { echo "mlrb: could not join the control group $1" >&2; exit 125; }; shift; done; shift
        lim() { h=$(ulimit -H "$1"); if [ "$h" = unlimited ] || [ "$h" -gt "$2" ]; then ulimit "$1" "$2" || { echo "mlrb: could not set ulimit $1 $2" >&2; exit 125; }; fi; }
        [ "$f" = - ] || lim -f "$f"
        [ "$v" = - ] || lim -v "$v"
        pf=-u; ulimit -H -u >/dev/null 2>&1 || pf=-p
        [ "$u" = - ] || lim "$pf" "$u"
        exec "$@"
        """;

    /// <summary>Builds the prefix and says which limits it puts in force.</summary>
    /// <param name="limits">The limits asked for.</param>
    /// <param name="group">The call's control group, or null when none is usable.</param>
    /// <param name="groups">What control groups this process can use.</param>
    /// <param name="isRoot">Whether this process runs as root (RLIMIT_NPROC does not bind root).</param>
    /// <param name="userTasks">How many tasks the user runs now (RLIMIT_NPROC counts them all).</param>
    /// <param name="inForce">What is enforced, for the record.</param>
    /// <param name="notEnforced">Limits that were asked for but cannot be enforced here.</param>
    /// <returns>The arguments to put before the command.</returns>
    public static List<string> Prefix(ProcessLimits limits, CallGroup? group, ControlGroups groups, bool isRoot, Func<int> userTasks, out List<string> inForce, out List<string> notEnforced)
    {
        inForce = [];
        notEnforced = [];
        if (group is not null)
        {
            inForce.Add(group.Describe());
        }

        string fsize = "-", vmem = "-", nproc = "-";
        if (limits.MaxFileSizeBytes is { } fileBytes)
        {
            fsize = ((fileBytes + 511) / 512).ToString(CultureInfo.InvariantCulture);
            inForce.Add($"RLIMIT_FSIZE={fileBytes}");
        }

        if (limits.MemoryBytes is { } memory && (group is null || !groups.Has("memory")))
        {
            vmem = ((memory + 1023) / 1024).ToString(CultureInfo.InvariantCulture);
            inForce.Add($"RLIMIT_AS={memory} (per process)");
        }

        if (limits.MaxProcesses is { } processes && (group is null || !groups.Has("pids")))
        {
            if (isRoot)
            {
                notEnforced.Add($"MaxProcesses={processes} (no pids control group, and RLIMIT_NPROC does not bind root)");
            }
            else
            {
                var total = (long)userTasks() + processes;
                nproc = total.ToString(CultureInfo.InvariantCulture);
                inForce.Add($"RLIMIT_NPROC={total} (the user's {total - processes} tasks + {processes})");
            }
        }

        var prefix = new List<string> { "/bin/sh", "-c", Script, "mlrb-limits", fsize, vmem, nproc };
        if (group is not null)
        {
            prefix.AddRange(group.ProcsFiles);
        }

        prefix.Add("--");
        if (limits.CpuSet is { } cpus && (group is null || !groups.Has("cpuset")))
        {
            if (Bubblewrap.FindOnPath("taskset") is { } taskset)
            {
                prefix.AddRange([taskset, "-c", cpus]);
                inForce.Add($"CPU affinity {cpus} (taskset)");
            }
            else
            {
                notEnforced.Add($"CpuSet={cpus} (no cpuset control group and no taskset)");
            }
        }

        return prefix;
    }

    /// <summary>How many tasks (threads included) the user with <paramref name="uid"/> runs, from /proc.</summary>
    /// <param name="uid">The real user id.</param>
    /// <returns>The count.</returns>
    public static int TasksOf(uint uid)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                uint? owner = null;
                var threads = 1;
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    {
                        owner = uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    {
                        threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
                    }
                }

                if (owner == uid)
                {
                    count += threads;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // It exited while we looked.
            }
        }

        return count;
    }
}
