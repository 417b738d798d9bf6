using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Mlrb.Tools.Core;
using Mlrb.Tools.Workspace;

namespace Mlrb.Tools.Processes;

/// <summary>
/// Runs a child process in the workspace: its own process group (via <c>setsid</c>), optionally inside bubblewrap,
/// an environment from the allow-list, a timeout within the run's remaining budget, the whole group killed on
/// timeout, cancellation or exit, output streamed to a log file and returned capped.
/// </summary>
/// <param name="runtime">The run's tool runtime.</param>
internal sealed partial class ProcessSandbox(ToolRuntime runtime)
{
    private static int s_unconfinedWarned;
    private static int s_limitsWarned;
    private static int s_hidden;
    private static int s_sequence;

    /// <summary>Runs <paramref name="request"/> to completion, timeout or cancellation.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Kills the child's process group when cancelled.</param>
    /// <returns>The outcome.</returns>
    public async Task<ProcessOutcome> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        var options = runtime.Options;
        var (timeout, budgetNote) = EffectiveTimeout(request.RequestedTimeout);
        if (timeout <= TimeSpan.Zero)
        {
            return new ProcessOutcome { StartError = "the run's time budget is exhausted; no process was started.", TimedOut = true };
        }

        if (Bubblewrap.FindOnPath(request.Executable) is null)
        {
            // Checked here because setsid and bwrap would start and only their child would fail to exec it.
            return new ProcessOutcome { StartError = $"could not start '{request.Executable}': not found{(request.Executable.Contains('/', StringComparison.Ordinal) ? "" : " on PATH")}." };
        }

        var workspace = runtime.Guard.Root;
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workspace,
        };
        var setsid = Bubblewrap.FindOnPath("setsid");
        var argv = new List<string>();
        if (setsid is not null)
        {
            argv.Add(setsid);
        }

        var sandboxed = UseBubblewrap(out var bwrapError);
        ToolTelemetry.TagSandbox(sandboxed);
        if (bwrapError is not null)
        {
            return new ProcessOutcome { StartError = bwrapError };
        }

        if (!sandboxed && !options.AllowNetwork)
        {
            return new ProcessOutcome
            {
                StartError = $"network access is off (AllowNetwork = false), which only bubblewrap can enforce, and it is not in use here ({(options.Sandbox == SandboxMode.None ? "Sandbox = None" : Bubblewrap.ProbeFailure)}); no process was started.",
            };
        }

        var limits = options.Limits;
        if (WorkspaceUsage.OverLimit(workspace, limits.MaxWorkspaceBytes) is { } full)
        {
            return new ProcessOutcome { StartError = full + " No process was started." };
        }

        var groups = ControlGroups.Current;
        using var group = groups.Create(limits, out var groupError);
        if (groupError is not null)
        {
            return new ProcessOutcome { StartError = groupError + "; no process was started." };
        }

        var isRoot = LibC.GetUid() == 0;
        argv.AddRange(LimitShim.Prefix(limits, group, groups, isRoot, () => LimitShim.TasksOf(LibC.GetUid()), out var inForce, out var notEnforced));
        HideServerProcess();
        if (!sandboxed && isRoot && Bubblewrap.FindOnPath("setpriv") is { } setpriv)
        {
            // Root without bubblewrap: the children keep uid 0 but lose every capability, so they can neither read this
            // (non-dumpable) process's /proc files nor undo the limits.
            argv.AddRange([setpriv, "--inh-caps=-all", "--bounding-set=-all", "--"]);
            inForce.Add("no capabilities (setpriv)");
        }

        if (group is null || notEnforced.Count > 0)
        {
            WarnOnce(groups, notEnforced);
        }

        inForce.Add(sandboxed ? (Bubblewrap.UserNamespace ? "bubblewrap (user namespace, no capabilities)" : "bubblewrap (no capabilities)") : "no bubblewrap");
        inForce.Add("GPUs " + limits.Gpus);
        if (limits.MaxWorkspaceBytes is { } maxWorkspace)
        {
            inForce.Add(string.Create(CultureInfo.InvariantCulture, $"workspace at most {maxWorkspace} bytes (checked)"));
        }

        var limitsLine = string.Join("; ", inForce);
        if (sandboxed)
        {
            argv.Add(Bubblewrap.Path!);
            argv.AddRange(Bubblewrap.Arguments(workspace, options.AllowNetwork, GpuSelection.DeviceNodes(options.Limits.Gpus)));
        }

        argv.Add(request.Executable);
        argv.AddRange(request.Arguments);
        info.FileName = argv[0];
        foreach (var a in argv.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Clear();
        foreach (var (name, value) in ChildEnvironment.Build(workspace, options.AllowedEnvironmentVariables))
        {
            info.Environment[name] = value;
        }

        var marker = Guid.NewGuid().ToString("N");
        info.Environment[MarkedProcesses.Variable] = marker;
        if (GpuSelection.VisibleDevices(options.Limits.Gpus) is { } visible)
        {
            info.Environment["CUDA_VISIBLE_DEVICES"] = visible;
            info.Environment["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
        }

        var logFull = Path.Combine(workspace, options.LogFolder, LogName(request.Tool));
        var logRelative = runtime.Guard.Relative(logFull);
        var stdout = new HeadTailCapture(options.MaxOutputChars);
        var stderr = new HeadTailCapture(options.MaxOutputChars);

        using var process = new Process { StartInfo = info };
        await using var log = runtime.Files.CreateNew(logFull);
        await log.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"[mlrb] limits: {limitsLine}\n"), cancellationToken).ConfigureAwait(false);
        var logGate = new SemaphoreSlim(1, 1);
        var cappedLog = new CappedLog(log, options.MaxLogBytes);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ProcessOutcome { StartError = $"could not start '{request.Executable}': {ex.Message}" };
        }

        var pgid = process.Id;
        ServerReaper.Started(pgid);
        Log.Started(runtime.Logger, request.Tool, pgid, timeout.TotalSeconds, sandboxed, logRelative);
        process.StandardInput.Close();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, stdout, cappedLog, logGate),
            PumpAsync(process.StandardError.BaseStream, stderr, cappedLog, logGate));

        var timedOut = false;
        var cancelled = false;
        using (var timer = new CancellationTokenSource(timeout, runtime.Context.TimeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token))
        {
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancelled = cancellationToken.IsCancellationRequested;
                timedOut = !cancelled;
            }
        }

        // Kill the whole group: on timeout/cancel the child and everything it started; after a normal exit, the
        // background jobs it left behind (they would otherwise outlive the call and hold the output pipes open).
        var escaped = KillGroup(process, pgid, setsid is not null, group);
        if (group is null)
        {
            _ = MarkedProcesses.KillAll(marker);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false) != pumps)
        {
            Log.PipesHeld(runtime.Logger, request.Tool, pgid);
        }

        ServerReaper.Ended(pgid);
        await logGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await cappedLog.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            logGate.Release();
        }

        var notes = group?.LimitNotes() ?? [];
        if (escaped > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"[mlrb] {escaped} process(es) could not be killed within 10 s."));
        }

        if (WorkspaceUsage.OverLimit(workspace, limits.MaxWorkspaceBytes) is { } overNow)
        {
            notes.Add("[mlrb] " + overNow + " Delete files before the next call.");
        }

        if (timedOut)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"[mlrb] timed out after {timeout.TotalSeconds:0.#} s; the process group was killed.{budgetNote}"));
        }
        else if (cancelled)
        {
            notes.Add("[mlrb] cancelled; the process group was killed.");
        }

        var errText = stderr.Render(logRelative);
        if (notes.Count > 0)
        {
            errText = (errText.Length > 0 && !errText.EndsWith('\n') ? errText + "\n" : errText) + string.Join('\n', notes);
        }

        return new ProcessOutcome
        {
            ExitCode = timedOut || cancelled ? null : process.ExitCode,
            TimedOut = timedOut,
            Cancelled = cancelled,
            Stdout = stdout.Render(logRelative),
            Stderr = errText,
            Truncated = stdout.Truncated || stderr.Truncated,
            LogPath = logRelative,
            Timeout = timeout,
            LimitsInForce = limitsLine,
        };
    }

    /// <summary>The timeout that applies: requested or default, at most the maximum and the run's remaining budget.</summary>
    /// <param name="requested">What the call asked for.</param>
    /// <returns>The timeout and a note when the budget cut it.</returns>
    internal (TimeSpan Timeout, string Note) EffectiveTimeout(TimeSpan? requested)
    {
        var options = runtime.Options;
        var timeout = requested ?? options.DefaultProcessTimeout;
        if (timeout > options.MaxProcessTimeout)
        {
            timeout = options.MaxProcessTimeout;
        }

        if (runtime.Context.Deadline is { } deadline)
        {
            var remaining = deadline - runtime.Context.TimeProvider.GetUtcNow();
            if (remaining < timeout)
            {
                return (remaining, " (the timeout was shortened to the run's remaining time budget)");
            }
        }

        return (timeout, "");
    }

    /// <summary>Kills the call's control group (every descendant, wherever it went), then its process group.</summary>
    /// <returns>How many processes of the control group survived.</returns>
    private static int KillGroup(Process process, int pgid, bool ownGroup, CallGroup? group)
    {
        var survivors = 0;
        if (group is not null && !group.KillAll(TimeSpan.FromSeconds(10)))
        {
            survivors = group.Members().Count;
        }

        if (ownGroup && !OperatingSystem.IsWindows())
        {
            _ = LibC.Kill(-pgid, LibC.SigKill);
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: group is null);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }

        return survivors;
    }

    /// <summary>
    /// Makes this process non-dumpable, once: its <c>/proc/&lt;pid&gt;/environ</c>, <c>mem</c> and <c>fd</c> become
    /// unreadable to its children (same uid without <c>CAP_SYS_PTRACE</c>), so API keys it was started with stay hidden.
    /// </summary>
    private static void HideServerProcess()
    {
        if (OperatingSystem.IsLinux() && Interlocked.Exchange(ref s_hidden, 1) == 0)
        {
            _ = LibC.Prctl(LibC.PrSetDumpable, 0);
        }
    }

    private void WarnOnce(ControlGroups groups, List<string> notEnforced)
    {
        if (Interlocked.Exchange(ref s_limitsWarned, 1) == 0)
        {
            Log.NoControlGroup(runtime.Logger, groups.Failure ?? "some controllers are missing", notEnforced.Count == 0 ? "none" : string.Join("; ", notEnforced));
        }
    }

    private static async Task PumpAsync(Stream source, HeadTailCapture capture, CappedLog log, SemaphoreSlim gate)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    capture.Append(buffer.AsSpan(0, read));
                    await log.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe was closed under us (process disposed after a grace period).
        }
    }

    private static string LogName(string tool)
    {
        var n = Interlocked.Increment(ref s_sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{n:D4}-{tool}.log");
    }

    private bool UseBubblewrap(out string? error)
    {
        error = null;
        switch (runtime.Options.Sandbox)
        {
            case SandboxMode.None:
                return false;
            case SandboxMode.Bubblewrap:
                if (Bubblewrap.Path is null)
                {
                    error = $"the sandbox is required (Sandbox = Bubblewrap) but unusable: {Bubblewrap.ProbeFailure}.";
                    return false;
                }

                return true;
            default:
                if (Bubblewrap.Path is not null)
                {
                    return true;
                }

                if (Interlocked.Exchange(ref s_unconfinedWarned, 1) == 0)
                {
                    Log.Unconfined(runtime.Logger, Bubblewrap.ProbeFailure ?? "unknown reason");
                }

                return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Tool}: started process group {Pgid} (timeout {TimeoutSeconds:0.#} s, bubblewrap {Sandboxed}); output in {LogPath}")]
        public static partial void Started(ILogger logger, string tool, int pgid, double timeoutSeconds, bool sandboxed, string logPath);

        [LoggerMessage(2, LogLevel.Warning, "Tool processes run UNCONFINED (no bubblewrap sandbox): {Reason}. Timeouts, process-group kill and the environment allow-list still apply.")]
        public static partial void Unconfined(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Tool process limits: no control group is usable ({Reason}); resource limits (setrlimit) are used instead. Not enforced: {NotEnforced}.")]
        public static partial void NoControlGroup(ILogger logger, string reason, string notEnforced);

        [LoggerMessage(3, LogLevel.Warning, "{Tool}: output pipes of process group {Pgid} stayed open after it was killed (a process escaped the group); output may be incomplete.")]
        public static partial void PipesHeld(ILogger logger, string tool, int pgid);
    }
}
