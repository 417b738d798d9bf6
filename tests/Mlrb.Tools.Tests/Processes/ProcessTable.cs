namespace Mlrb.Tools.Tests.Processes;

/// <summary>Looks for live (non-zombie) processes by a marker in their command line, through /proc.</summary>
internal static class ProcessTable
{
    public static List<int> LiveWithMarker(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    continue;
                }

                var state = File.ReadAllLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "";
                if (!state.Contains('Z'))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Polls until no live process carries the marker (kill is asynchronous), up to <paramref name="within"/>.</summary>
    public static async Task<List<int>> WaitGoneAsync(string marker, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        List<int> live;
        while ((live = LiveWithMarker(marker)).Count > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        return live;
    }

    /// <summary>A <c>sleep</c> duration that is unique in the process table, e.g. <c>600.123456</c>.</summary>
    public static string UniqueSleep() => "600." + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
