using System.Diagnostics;
using System.Globalization;

namespace Mlrb.Eval.Statistics;

/// <summary>The process's peak resident memory: <c>VmHWM</c> from <c>/proc/self/status</c> on Linux, else the peak working set.</summary>
public static class PeakMemory
{
    /// <summary>Peak resident bytes of this process so far.</summary>
    /// <returns>Bytes.</returns>
    public static long CurrentProcessPeakBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
