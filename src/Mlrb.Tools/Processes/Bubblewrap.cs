using System.Diagnostics;

namespace Mlrb.Tools.Processes;

/// <summary>Finds bubblewrap and checks, once per process, that it can actually create a sandbox here.</summary>
internal static class Bubblewrap
{
    private static readonly Lazy<string?> Usable = new(Probe);

    /// <summary>The path of a working <c>bwrap</c>, or null when it is missing or cannot sandbox in this environment.</summary>
    public static string? Path => Usable.Value;

    /// <summary>Why bubblewrap is unusable, when it is (for the log and for error messages).</summary>
    public static string? ProbeFailure { get; private set; }

    /// <summary>The bwrap arguments that confine a child to <paramref name="workspace"/>.</summary>
    /// <param name="workspace">The writable workspace.</param>
    /// <param name="allowNetwork">Whether the network namespace is shared.</param>
    /// <returns>Arguments to put before the command.</returns>
    public static List<string> Arguments(string workspace, bool allowNetwork)
    {
        var args = new List<string>
        {
            "--ro-bind", "/", "/",
            "--dev-bind", "/dev", "/dev",
            "--proc", "/proc",
            "--tmpfs", "/tmp",
            "--bind", workspace, workspace,
            "--chdir", workspace,
            "--unshare-pid",
            "--unshare-ipc",
            "--die-with-parent",
            "--new-session",
        };
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

        try
        {
            var probeDir = System.IO.Path.GetTempPath();
            var info = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in Arguments(probeDir, allowNetwork: false))
            {
                info.ArgumentList.Add(a);
            }

            info.ArgumentList.Add("true");
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                ProbeFailure = "bwrap did not finish a trivial sandboxed command within 15 s";
                return null;
            }

            if (process.ExitCode != 0)
            {
                ProbeFailure = $"bwrap cannot create a sandbox here (exit {process.ExitCode}: {stderr.Result.Trim()})";
                return null;
            }

            return path;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            ProbeFailure = "bwrap could not be started: " + ex.Message;
            return null;
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
