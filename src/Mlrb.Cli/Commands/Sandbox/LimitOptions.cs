using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Mlrb.Tools;

namespace Mlrb.Cli.Commands.Sandbox;

/// <summary>The flags that set the tool processes' resource limits, shared by <c>mlrb run</c> and <c>mlrb mcp</c>.</summary>
internal sealed partial class LimitOptions
{
    private readonly Option<int?> _maxProcesses = new("--max-processes") { Description = $"Most processes and threads alive at once in one tool call (cgroup pids.max; default {ProcessLimits.DefaultMaxProcesses})." };
    private readonly Option<string?> _memory = new("--memory") { Description = "Memory limit of one tool call's processes together, e.g. 16G or 512M (cgroup memory limit; default: the task's RAM for run, none for mcp)." };
    private readonly Option<string?> _cpus = new("--cpus") { Description = "CPUs tool processes may run on, e.g. 0-3,6 (cpuset)." };
    private readonly Option<string?> _maxFileSize = new("--max-file-size") { Description = "Largest file a tool process may write, e.g. 20G (RLIMIT_FSIZE)." };
    private readonly Option<string?> _maxWorkspace = new("--max-workspace") { Description = "Most bytes the workspace may hold, e.g. 500G; checked around every tool call (default: the task's disk for run, none for mcp)." };
    private readonly Option<string?> _gpus = new("--gpus") { Description = "GPUs tool processes see: all (default), none, or indices such as 0,2." };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    /// <param name="command">The verb.</param>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _maxProcesses, _memory, _cpus, _maxFileSize, _maxWorkspace, _gpus })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Applies the flags given to <paramref name="limits"/>; a one-line error when one is bad.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="limits">The limits to change.</param>
    /// <returns>Null, or what is wrong.</returns>
    public string? Apply(ParseResult parse, ProcessLimits limits)
    {
        if (parse.GetValue(_maxProcesses) is { } processes)
        {
            if (processes < 8)
            {
                return $"--max-processes must be at least 8 (got {processes}).";
            }

            limits.MaxProcesses = processes;
        }

        foreach (var (option, set, minimum) in new (Option<string?>, Action<long>, long)[]
        {
            (_memory, v => limits.MemoryBytes = v, 16L << 20),
            (_maxFileSize, v => limits.MaxFileSizeBytes = v, 4096),
            (_maxWorkspace, v => limits.MaxWorkspaceBytes = v, 4096),
        })
        {
            if (parse.GetValue(option) is { } text)
            {
                if (!TryParseSize(text, out var bytes) || bytes < minimum)
                {
                    return $"{option.Name}: '{text}' is not a size of at least {minimum} bytes such as 512M, 16G or 1T.";
                }

                set(bytes);
            }
        }

        if (parse.GetValue(_cpus) is { } cpus)
        {
            if (!CpuList().IsMatch(cpus))
            {
                return $"--cpus: '{cpus}' is not a CPU list such as 0-3,6.";
            }

            limits.CpuSet = cpus;
        }

        if (parse.GetValue(_gpus) is { } gpus)
        {
            if (gpus is not ("all" or "none") && !GpuList().IsMatch(gpus))
            {
                return $"--gpus: '{gpus}' is not all, none or GPU indices such as 0,2.";
            }

            limits.Gpus = gpus;
        }

        return null;
    }

    /// <summary>Parses <c>512M</c>, <c>16G</c>, <c>1.5T</c>, <c>4096</c> (binary units; a trailing B or iB is allowed).</summary>
    /// <param name="text">The size.</param>
    /// <param name="bytes">The bytes.</param>
    /// <returns>True when it parsed.</returns>
    internal static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var m = Size().Match(text.Trim());
        if (!m.Success || !decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var shift = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "K" => 10,
            "M" => 20,
            "G" => 30,
            "T" => 40,
            _ => 0,
        };
        var value = number * (1L << shift);
        if (value > long.MaxValue / 2)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([KkMmGgTt]?)(?:i?[Bb])?$")]
    private static partial Regex Size();

    [GeneratedRegex(@"^[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?)*$")]
    private static partial Regex CpuList();

    [GeneratedRegex(@"^[0-9]{1,3}(,[0-9]{1,3})*$")]
    private static partial Regex GpuList();
}
