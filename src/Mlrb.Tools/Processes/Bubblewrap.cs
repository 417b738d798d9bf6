using System.Diagnostics;

namespace Mlrb.Tools.Processes;

/// <summary>
/// Finds bubblewrap and checks, once per process, that it can create a sandbox here: first with a user namespace
/// (the bounding set is empty as well), else with every capability dropped in the caller's namespace.
/// </summary>
internal static class Bubblewrap
{
    private static readonly Lazy<string?> Usable = new(Probe);

    /// <summary>The path of a working <c>bwrap</c>, or null when it is missing or cannot sandbox in this environment.</summary>
    public static string? Path => Usable.Value;

    /// <summary>Why bubblewrap is unusable, when it is (for the log and for error messages).</summary>
    public static string? ProbeFailure { get; private set; }

    /// <summary>Whether the sandbox gets its own user namespace (known after the probe).</summary>
    public static bool UserNamespace { get; private set; }

    /// <summary>
    /// The bwrap arguments that confine a child to <paramref name="workspace"/>: the host file system read-only, the
    /// workspace read-write, a minimal private <c>/dev</c> (with a private <c>/dev/shm</c>) plus only the GPU nodes
    /// given, private <c>/tmp</c>, <c>/proc</c> of a new PID namespace, every capability dropped, no new privileges
    /// (bubblewrap always sets it), a new session, killed with its parent.
    /// </summary>
    /// <param name="workspace">The writable workspace.</param>
    /// <param name="allowNetwork">Whether the network namespace is shared.</param>
    /// <param name="deviceNodes">Host device nodes to bind (GPU nodes when a GPU is requested).</param>
    /// <returns>Arguments to put before the command.</returns>
    public static List<string> Arguments(string workspace, bool allowNetwork, IEnumerable<string> deviceNodes) =>
        Arguments(workspace, allowNetwork, deviceNodes, UserNamespace);

    private static List<string> Arguments(string workspace, bool allowNetwork, IEnumerable<string> deviceNodes, bool userNamespace)
    {
        var args = new List<string>
        {
            "--ro-bind", "/", "/",
            "--dev", "/dev",
            "--perms", "1777", "--tmpfs", "/dev/shm",
        };
        foreach (var node in deviceNodes)
        {
            args.AddRange(["--dev-bind", node, node]);
        }

        args.AddRange(
        [
            "--proc", "/proc",
            "--perms", "1777", "--tmpfs", "/tmp",
            "--bind", workspace, workspace,
            "--chdir", workspace,
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--cap-drop", "ALL",
            "--die-with-parent",
            "--new-session",
        ]);
        if (userNamespace)
        {
            args.Add("--unshare-user");
        }

        if (!allowNetwork)
        {
            args.Add("--unshare-net");
        }

        args.Add("--");
        return args;
    }

    private static string? Probe()
    {
        var path = FindOnPath("bwrap");
        if (path is null)
        {
            ProbeFailure = "bwrap is not installed (apt-get install bubblewrap)";
            return null;
        }

        // A user namespace where the system allows one; else the same sandbox without it (capabilities still dropped).
        var withUserNs = TryRun(path, userNamespace: true);
        if (withUserNs is null)
        {
            UserNamespace = true;
            return path;
        }

        var without = TryRun(path, userNamespace: false);
        if (without is null)
        {
            UserNamespace = false;
            return path;
        }

        ProbeFailure = without;
        return null;
    }

    /// <summary>Runs <c>true</c> in the sandbox; null when it worked, else why not.</summary>
    private static string? TryRun(string path, bool userNamespace)
    {
        try
        {
            var probeDir = System.IO.Path.GetTempPath();
            var info = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in Arguments(probeDir, allowNetwork: false, [], userNamespace))
            {
                info.ArgumentList.Add(a);
            }

            info.ArgumentList.Add("true");
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                return "bwrap did not finish a trivial sandboxed command within 15 s";
            }

            return process.ExitCode == 0 ? null : $"bwrap cannot create a sandbox here (exit {process.ExitCode}: {stderr.Result.Trim()})";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return "bwrap could not be started: " + ex.Message;
        }
    }

    /// <summary>The first executable named <paramref name="name"/> on PATH.</summary>
    /// <param name="name">Program name.</param>
    /// <returns>Its path or null.</returns>
    public static string? FindOnPath(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
