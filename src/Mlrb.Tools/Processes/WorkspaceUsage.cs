using System.Globalization;

namespace Mlrb.Tools.Processes;

/// <summary>Measures the workspace's disk use against <see cref="ProcessLimits.MaxWorkspaceBytes"/> (links are not followed).</summary>
internal static class WorkspaceUsage
{
    /// <summary>Bytes in regular files under <paramref name="root"/>, without following links.</summary>
    /// <param name="root">The workspace.</param>
    /// <returns>The total.</returns>
    public static long Bytes(string root)
    {
        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            try
            {
                total += file.Length;
            }
            catch (IOException)
            {
                // Deleted while we counted.
            }
        }

        return total;
    }

    /// <summary>A message when the workspace holds more than <paramref name="max"/> bytes; null when it does not (or no limit is set).</summary>
    /// <param name="root">The workspace.</param>
    /// <param name="max">The limit.</param>
    /// <param name="adding">Bytes about to be written.</param>
    /// <returns>The message or null.</returns>
    public static string? OverLimit(string root, long? max, long adding = 0)
    {
        if (max is not { } limit)
        {
            return null;
        }

        var used = Bytes(root);
        return used + adding <= limit
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"the workspace holds {used:N0} bytes{(adding > 0 ? $" and this write adds {adding:N0}" : "")}, over its limit of {limit:N0} bytes (MaxWorkspaceBytes).");
    }
}
