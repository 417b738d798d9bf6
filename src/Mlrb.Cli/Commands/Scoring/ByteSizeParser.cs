using System.Globalization;

namespace Mlrb.Cli.Commands.Scoring;

/// <summary>Parses sizes such as <c>8GB</c>, <c>512MB</c>, <c>1.5GiB</c> or a plain number of bytes (GB = GiB: powers of 1024).</summary>
internal static class ByteSizeParser
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TIB", 1L << 40), ("TB", 1L << 40), ("GIB", 1L << 30), ("GB", 1L << 30), ("G", 1L << 30),
        ("MIB", 1L << 20), ("MB", 1L << 20), ("M", 1L << 20), ("KIB", 1L << 10), ("KB", 1L << 10), ("K", 1L << 10), ("B", 1),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var t = text?.Trim().ToUpperInvariant() ?? "";
        var factor = 1L;
        foreach (var (suffix, f) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length].Trim();
                factor = f;
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value * factor > long.MaxValue)
        {
            return false;
        }

        bytes = (long)(value * factor);
        return bytes > 0;
    }
}
