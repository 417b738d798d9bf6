using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlrb.Cli.Commands.Run;

/// <summary>Parses durations such as <c>24h</c>, <c>90m</c>, <c>45s</c>, <c>1h30m</c>, <c>2d</c> or <c>01:30:00</c>.</summary>
internal static partial class DurationParser
{
    /// <summary>The longest duration accepted (a year); longer values overflow time arithmetic.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The duration.</param>
    /// <param name="duration">The result.</param>
    /// <returns>True when the text is a positive duration of at most <see cref="MaxDuration"/>.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Units().Match(text.Trim());
        if (match.Success && match.Length > 0)
        {
            // Summed as seconds in a double and bounded before converting, so no value overflows TimeSpan.
            var seconds = 0.0;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unit = char.ToLowerInvariant(part.Value[^1]);
                var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                seconds += value * unit switch
                {
                    'd' => 86400.0,
                    'h' => 3600.0,
                    'm' => 60.0,
                    _ => 1.0,
                };
            }

            if (!double.IsFinite(seconds) || seconds > MaxDuration.TotalSeconds)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(seconds);
            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero && duration <= MaxDuration;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[dhms])+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Units();
}
