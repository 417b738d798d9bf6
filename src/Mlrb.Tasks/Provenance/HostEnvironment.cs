using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Mlrb.Tasks.Provenance;

/// <summary>
/// Captures the host's hardware and software for a <see cref="RunEnvironment"/>: CPU model and cores, memory, GPUs
/// through <c>nvidia-smi</c> when it is present (none otherwise, not an error), OS, .NET and Mlrb versions, and the
/// git state of a folder. Every helper process has a short timeout and is killed with its children when it passes.
/// </summary>
public static class HostEnvironment
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Captures the host.</summary>
    /// <param name="gitDirectory">A folder (e.g. the run's workspace) whose git state to record when it lies in a git work tree; null to skip.</param>
    /// <param name="cancellationToken">Cancels the capture.</param>
    /// <returns>The environment, without <see cref="RunEnvironment.Sandbox"/> and <see cref="RunEnvironment.Python"/>.</returns>
    public static Task<RunEnvironment> CaptureAsync(string? gitDirectory = null, CancellationToken cancellationToken = default)
        => CaptureAsync(gitDirectory, "nvidia-smi", cancellationToken);

    /// <summary>Captures the host with the given <c>nvidia-smi</c> (tests pass a fake one).</summary>
    internal static async Task<RunEnvironment> CaptureAsync(string? gitDirectory, string nvidiaSmi, CancellationToken cancellationToken)
    {
        var gpus = RunAsync(nvidiaSmi, ["--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"], null, cancellationToken);
        var git = gitDirectory is null ? Task.FromResult<GitState?>(null) : GitAsync(gitDirectory, cancellationToken);
        var gpuOutput = await gpus.ConfigureAwait(false);
        return new RunEnvironment
        {
            CapturedAt = DateTimeOffset.UtcNow,
            Host = Environment.MachineName,
            Cpu = CpuModel(),
            CpuCores = Environment.ProcessorCount,
            MemoryBytes = MemoryBytes(),
            Gpus = gpuOutput is { Exit: 0 } ? ParseNvidiaSmi(gpuOutput.Value.Stdout) : [],
            Os = OsName(),
            Architecture = RuntimeInformation.ProcessArchitecture.ToString(),
            DotNet = RuntimeInformation.FrameworkDescription,
            Mlrb = MlrbVersion(),
            Git = await git.ConfigureAwait(false),
        };
    }

    /// <summary>Parses <c>nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits</c>.</summary>
    internal static List<GpuInfo> ParseNvidiaSmi(string csv)
    {
        var gpus = new List<GpuInfo>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length == 0 || fields[0].Length == 0)
            {
                continue;
            }

            gpus.Add(new GpuInfo
            {
                Name = fields[0],
                MemoryMiB = fields.Length > 1 && long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib : null,
                Driver = fields.Length > 2 && fields[2].Length > 0 ? fields[2] : null,
            });
        }

        return gpus;
    }

    /// <summary>The first <c>model name</c> of a <c>/proc/cpuinfo</c> text.</summary>
    internal static string? ParseCpuModel(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() is "model name" or "Model" or "cpu model" && line[(colon + 1)..].Trim() is { Length: > 0 } model)
            {
                return model;
            }
        }

        return null;
    }

    /// <summary><c>MemTotal</c> of a <c>/proc/meminfo</c> text, in bytes.</summary>
    internal static long? ParseMemTotal(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib))
            {
                return kib * 1024;
            }
        }

        return null;
    }

    /// <summary><c>PRETTY_NAME</c> of an <c>/etc/os-release</c> text.</summary>
    internal static string? ParseOsRelease(string osRelease)
    {
        foreach (var line in osRelease.Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static string? CpuModel()
        => ReadOrNull("/proc/cpuinfo") is { } text ? ParseCpuModel(text) : null;

    private static long? MemoryBytes()
    {
        var machine = ReadOrNull("/proc/meminfo") is { } text ? ParseMemTotal(text) : null;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return machine is { } m ? (available > 0 ? Math.Min(m, available) : m) : available > 0 ? available : null;
    }

    private static string OsName()
    {
        var pretty = OperatingSystem.IsLinux() && ReadOrNull("/etc/os-release") is { } text ? ParseOsRelease(text) : null;
        var description = RuntimeInformation.OSDescription;
        var os = pretty is null || description.Contains(pretty, StringComparison.Ordinal) ? description : $"{pretty} ({description})";
        return OperatingSystem.IsLinux() ? $"{os}, kernel {Environment.OSVersion.Version}" : os;
    }

    private static string MlrbVersion()
    {
        var assembly = typeof(HostEnvironment).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        return version;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<GitState?> GitAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var root = await RunAsync("git", ["rev-parse", "--show-toplevel"], directory, cancellationToken).ConfigureAwait(false);
        if (root is not { Exit: 0 } || root.Value.Stdout.Trim() is not { Length: > 0 } top)
        {
            return null;
        }

        var head = await RunAsync("git", ["rev-parse", "--verify", "--quiet", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var status = await RunAsync("git", ["status", "--porcelain", "--untracked-files=normal"], directory, cancellationToken).ConfigureAwait(false);
        return new GitState
        {
            Root = top,
            Commit = head is { Exit: 0 } && head.Value.Stdout.Trim() is { Length: > 0 } commit ? commit : null,
            Dirty = status is { Exit: 0 } && status.Value.Stdout.Trim().Length > 0,
        };
    }

    /// <summary>Runs a helper program with a timeout; null when it cannot start (not installed) or does not finish in time.</summary>
    private static async Task<(int Exit, string Stdout)?> RunAsync(string executable, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Helpers see no secrets: only what they need to run.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key is not ("PATH" or "HOME" or "LANG" or "LC_ALL" or "TMPDIR"))
            {
                info.Environment.Remove(key);
            }
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("not started");
        }
        catch (Exception ex) when (ex is Win32Exception or FileNotFoundException or InvalidOperationException)
        {
            return null;
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProcessTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await stderr.ConfigureAwait(false);
                return (process.ExitCode, await stdout.ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }

                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }
    }
}
