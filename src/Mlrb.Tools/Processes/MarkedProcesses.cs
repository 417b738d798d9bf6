using System.Text;
using Mlrb.Tools.Workspace;

namespace Mlrb.Tools.Processes;

/// <summary>
/// Without a control group, a call's descendants are also found by a marker in their environment (<c>MLRB_CALL</c>),
/// which <c>setsid</c>, double forks and <c>nohup</c> keep: after the call every live process carrying it is killed.
/// A process that clears its own environment (<c>env -i</c>) is not found this way.
/// </summary>
internal static class MarkedProcesses
{
    /// <summary>The variable that carries the call's marker.</summary>
    public const string Variable = "MLRB_CALL";

    /// <summary>Kills every process whose environment holds <c>MLRB_CALL=<paramref name="marker"/></c>, a few rounds.</summary>
    /// <param name="marker">The call's marker.</param>
    /// <returns>How many processes were signalled.</returns>
    public static int KillAll(string marker)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var needle = Encoding.UTF8.GetBytes($"{Variable}={marker}\0");
        var killed = 0;
        for (var round = 0; round < 3; round++)
        {
            var found = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
                {
                    continue;
                }

                try
                {
                    var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                    if (environ.AsSpan().IndexOf(needle) >= 0 && LibC.Kill(pid, LibC.SigKill) == 0)
                    {
                        found++;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Gone, or not ours.
                }
            }

            killed += found;
            if (found == 0)
            {
                break;
            }

            Thread.Sleep(20);
        }

        return killed;
    }
}
