using System.Diagnostics;
using System.Globalization;

namespace Mlrb.Tools.Processes;

/// <summary>
/// A small watchdog process (<c>/bin/sh</c> in its own session) that outlives this one: it reads the process groups of
/// running calls from a pipe, and when the pipe closes (this process exited for any reason: EOF, SIGTERM, a crash or
/// SIGKILL) it kills those groups and every process left in this process's call control groups, then removes them.
/// </summary>
internal static class ServerReaper
{
    private const string Script = """
        exec >/dev/null 2>&1
        me=$1; shift
        groups=" "
        while IFS= read -r line; do
          case "$line" in
            +*) groups="$groups${line#+} " ;;
            -*) groups=$(printf '%s' "$groups" | sed "s/ ${line#-} / /") ;;
          esac
        done
        for g in $groups; do kill -9 "-$g"; done
        for parent in "$@"; do
          for d in "$parent"/mlrb-"$me"-*; do
            [ -d "$d" ] || continue
            n=0
            while [ -n "$(cat "$d/cgroup.procs")" ] && [ $n -lt 400 ]; do
              [ -f "$d/cgroup.kill" ] && echo 1 > "$d/cgroup.kill"
              for p in $(cat "$d/cgroup.procs"); do kill -9 "$p"; done
              n=$((n+1)); sleep 0.05
            done
            rmdir "$d"
          done
        done
        """;

    private static readonly object Gate = new();
    private static Process? s_watchdog;
    private static bool s_failed;

    /// <summary>Whether the watchdog runs.</summary>
    public static bool Running
    {
        get
        {
            lock (Gate)
            {
                return s_watchdog is { HasExited: false };
            }
        }
    }

    /// <summary>Tells the watchdog a call's process group started.</summary>
    /// <param name="pgid">The group.</param>
    public static void Started(int pgid) => Send("+" + pgid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Tells the watchdog a call's process group was killed and waited for.</summary>
    /// <param name="pgid">The group.</param>
    public static void Ended(int pgid) => Send("-" + pgid.ToString(CultureInfo.InvariantCulture));

    private static void Send(string line)
    {
        lock (Gate)
        {
            if (s_watchdog is null && !s_failed)
            {
                s_watchdog = Start();
                s_failed = s_watchdog is null;
            }

            if (s_watchdog is null)
            {
                return;
            }

            try
            {
                s_watchdog.StandardInput.WriteLine(line);
                s_watchdog.StandardInput.Flush();
            }
            catch (IOException)
            {
                // It died: nothing more to tell it.
            }
        }
    }

    private static Process? Start()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var info = new ProcessStartInfo(Bubblewrap.FindOnPath("setsid") ?? "/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (info.FileName != "/bin/sh")
        {
            info.ArgumentList.Add("/bin/sh");
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add("mlrb-reaper");
        info.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        foreach (var parent in ControlGroups.Current.Parents.Values)
        {
            info.ArgumentList.Add(parent);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        try
        {
            return Process.Start(info);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
