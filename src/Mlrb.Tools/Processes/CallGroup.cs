using System.Globalization;
using Mlrb.Tools.Workspace;

namespace Mlrb.Tools.Processes;

/// <summary>
/// The control group(s) of one tool call: every descendant of the child joins them at start and cannot leave (a
/// <c>setsid</c> or double fork stays inside), so killing the group kills them all.
/// </summary>
/// <param name="version">1 or 2.</param>
/// <param name="folders">Controller (<c>""</c> for v2) to the group's folder.</param>
internal sealed class CallGroup(int version, IReadOnlyDictionary<string, string> folders) : IDisposable
{
    /// <summary>The <c>cgroup.procs</c> files the child writes its pid to before it executes the command.</summary>
    public IEnumerable<string> ProcsFiles => folders.Values.Select(f => Path.Combine(f, "cgroup.procs"));

    /// <summary>What the kernel enforces through this group, for the record.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        foreach (var (controller, dir) in folders)
        {
            foreach (var file in new[] { "pids.max", "memory.max", "memory.limit_in_bytes", "cpuset.cpus" })
            {
                var path = Path.Combine(dir, file);
                if ((controller.Length == 0 || file.StartsWith(controller, StringComparison.Ordinal)) && File.Exists(path))
                {
                    parts.Add($"{file}={File.ReadAllText(path).Trim()}");
                }
            }
        }

        return $"cgroup v{version}: " + string.Join(", ", parts);
    }

    /// <summary>Kills every process in the group, repeatedly, until it is empty or <paramref name="within"/> passes.</summary>
    /// <param name="within">How long to keep trying.</param>
    /// <returns>True when the group is empty.</returns>
    public bool KillAll(TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        var kill = folders.Values.Select(f => Path.Combine(f, "cgroup.kill")).FirstOrDefault(File.Exists);
        while (true)
        {
            if (kill is not null)
            {
                try
                {
                    File.WriteAllText(kill, "1");
                }
                catch (IOException)
                {
                    kill = null;
                }
            }

            var live = Members();
            if (live.Count == 0)
            {
                return true;
            }

            foreach (var pid in live)
            {
                _ = LibC.Kill(pid, LibC.SigKill);
            }

            if (DateTime.UtcNow > until)
            {
                return false;
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Processes (live or zombie) in the group.</summary>
    /// <returns>Their ids.</returns>
    public List<int> Members()
    {
        var pids = new HashSet<int>();
        foreach (var procs in ProcsFiles)
        {
            try
            {
                foreach (var line in File.ReadAllLines(procs))
                {
                    if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                    {
                        pids.Add(pid);
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return [.. pids];
    }

    /// <summary>Notes on limits that were hit: forks refused at the process limit, processes killed for memory.</summary>
    /// <returns>Lines for the tool's output; empty when none was hit.</returns>
    public List<string> LimitNotes()
    {
        var notes = new List<string>();
        foreach (var dir in folders.Values)
        {
            if (Counter(dir, "pids.events", "max") is > 0 and var refused)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"[mlrb] the process limit (pids.max {Read(dir, "pids.max")}) refused {refused} fork(s)."));
            }

            var oom = Counter(dir, version == 2 ? "memory.events" : "memory.oom_control", "oom_kill");
            if (oom > 0)
            {
                var limit = Read(dir, version == 2 ? "memory.max" : "memory.limit_in_bytes");
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"[mlrb] the memory limit ({limit} bytes) was reached: the kernel killed {oom} process(es)."));
            }
        }

        return notes;
    }

    /// <summary>Kills what is left and removes the group's folders.</summary>
    public void Dispose()
    {
        _ = KillAll(TimeSpan.FromSeconds(5));
        foreach (var dir in folders.Values)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    Directory.Delete(dir);
                    break;
                }
                catch (DirectoryNotFoundException)
                {
                    break;
                }
                catch (IOException)
                {
                    // Zombies not yet reaped keep it busy for a moment.
                    Thread.Sleep(10);
                }
                catch (UnauthorizedAccessException)
                {
                    break;
                }
            }
        }
    }

    private static long Counter(string dir, string file, string key)
    {
        try
        {
            var path = Path.Combine(dir, file);
            if (!File.Exists(path))
            {
                return 0;
            }

            foreach (var line in File.ReadAllLines(path))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length == 2 && f[0] == key && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return n;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static string Read(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file)).Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
