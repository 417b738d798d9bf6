using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mlrb.Tasks.Loading;

/// <summary>Durations as people write them: <c>24h</c>, <c>8h</c>, <c>1h30m</c>, <c>90m</c>, <c>2d</c>, or <c>hh:mm:ss</c>.</summary>
internal static partial class DurationText
{
    /// <summary>The longest duration accepted (a year): anything longer is a typo, and larger values overflow time arithmetic.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero && value <= MaxDuration;
        }

        var matches = Part().Matches(trimmed.Replace(" ", string.Empty, StringComparison.Ordinal));
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)).Length != trimmed.Replace(" ", string.Empty, StringComparison.Ordinal).Length)
        {
            return false;
        }

        // Summed in seconds as a double and checked against MaxDuration, so no part can overflow TimeSpan.
        var seconds = 0.0;
        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += amount * match.Groups[2].Value.ToLowerInvariant() switch
            {
                "d" => 86400.0,
                "h" => 3600.0,
                "m" => 60.0,
                _ => 1.0,
            };
        }

        if (!double.IsFinite(seconds) || seconds > MaxDuration.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return value > TimeSpan.Zero;
    }

    /// <summary>Compact form for files: <c>24h</c>, <c>1h30m</c>, <c>45s</c>.</summary>
    public static string ToCompact(TimeSpan value)
    {
        var builder = new StringBuilder();
        var hours = (long)Math.Floor(value.TotalHours);
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        if (value.Seconds > 0 || builder.Length == 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s");
        }

        return builder.ToString();
    }

    /// <summary>Words for prompts: <c>24 hours</c>, <c>1 hour 30 minutes</c>.</summary>
    public static string ToWords(TimeSpan value)
    {
        var parts = new List<string>();
        var hours = (long)Math.Floor(value.TotalHours);
        if (hours > 0)
        {
            parts.Add(Plural(hours, "hour"));
        }

        if (value.Minutes > 0)
        {
            parts.Add(Plural(value.Minutes, "minute"));
        }

        if (value.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(Plural(value.Seconds, "second"));
        }

        return string.Join(' ', parts);
    }

    private static string Plural(long amount, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount} {unit}{(amount == 1 ? string.Empty : "s")}");

    [GeneratedRegex(@"(\d+(?:\.\d+)?)([dhms])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
