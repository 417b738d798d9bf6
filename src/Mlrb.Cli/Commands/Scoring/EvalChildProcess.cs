using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Mlrb.Cli.Commands.Scoring;

/// <summary>
/// Runs <c>mlrb eval ... --json</c> as a child process in its own process group (via <c>setsid</c>): a model that crashes
/// the scorer or exhausts memory takes only the child down. The child gets no API keys, a managed-heap cap
/// (<c>DOTNET_GCHeapHardLimit</c>) and is watched: past the time limit, or with a resident set above the memory limit,
/// its whole process group is killed.
/// </summary>
internal static partial class EvalChildProcess
{
    private const int SigKill = 9;
    private const int MaxStderrChars = 4000;

    /// <summary>The command that starts this same mlrb (the apphost, or <c>dotnet mlrb.dll</c>).</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(EvalChildProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) && dll.Length > 0
            ? [host, dll]
            : [host];
    }

    /// <summary>Runs the child to completion, its time limit or its memory limit.</summary>
    public static async Task<EvalChildResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, long? memoryLimitBytes, CancellationToken cancellationToken)
    {
        var command = SelfCommand().Concat(arguments).ToList();
        var setsid = FindOnPath("setsid");
        var info = new ProcessStartInfo
        {
            FileName = setsid ?? command[0],
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in setsid is null ? command.Skip(1) : command)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(IsSecret).ToList())
        {
            info.Environment.Remove(name);
        }

        if (memoryLimitBytes is { } cap)
        {
            info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + cap.ToString("X", CultureInfo.InvariantCulture);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new EvalChildResult { StartError = $"could not start the evaluation process ({string.Join(' ', command)}): {ex.Message}" };
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = ReadTailAsync(process.StandardError);
        var timedOut = false;
        long? exceeded = null;
        var clock = Stopwatch.StartNew();
        try
        {
            while (!process.HasExited)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (clock.Elapsed > timeout)
                {
                    timedOut = true;
                    break;
                }

                if (memoryLimitBytes is { } limit && ResidentBytes(process.Id) is { } rss && rss > limit)
                {
                    exceeded = rss;
                    break;
                }

                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(TimeSpan.FromMilliseconds(200));
                try
                {
                    await process.WaitForExitAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Next poll.
                }
            }
        }
        finally
        {
            KillGroup(process, setsid is not null);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var output = await WithinAsync(stdout, "").ConfigureAwait(false);
        var errors = await WithinAsync(stderr, "").ConfigureAwait(false);
        return new EvalChildResult
        {
            ExitCode = timedOut || exceeded is not null ? null : process.ExitCode,
            Stdout = output,
            StderrTail = errors,
            TimedOut = timedOut,
            MemoryExceededBytes = exceeded,
        };
    }

    private static bool IsSecret(string name)
    {
        var upper = name.ToUpperInvariant();
        return upper is "OPENAI" or "ANTHROPIC" || upper.Contains("API_KEY", StringComparison.Ordinal) || upper.Contains("TOKEN", StringComparison.Ordinal)
            || upper.Contains("SECRET", StringComparison.Ordinal) || upper.Contains("PASSWORD", StringComparison.Ordinal);
    }

    private static async Task<string> WithinAsync(Task<string> task, string fallback)
        => await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false) == task ? await task.ConfigureAwait(false) : fallback;

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > MaxStderrChars * 2)
            {
                tail.Remove(0, tail.Length - MaxStderrChars);
            }
        }

        return tail.Length > MaxStderrChars ? tail.ToString(tail.Length - MaxStderrChars, MaxStderrChars) : tail.ToString();
    }

    /// <summary>VmRSS of a process, from /proc (null where there is no /proc).</summary>
    private static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process ended meanwhile, or this is not Linux.
        }

        return null;
    }

    private static void KillGroup(Process process, bool ownGroup)
    {
        if (ownGroup && !OperatingSystem.IsWindows())
        {
            _ = Kill(-process.Id, SigKill);
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static string? FindOnPath(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
