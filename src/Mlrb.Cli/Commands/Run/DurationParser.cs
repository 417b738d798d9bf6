using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlrb.Cli.Commands.Run;

/// <summary>Parses durations such as <c>24h</c>, <c>90m</c>, <c>45s</c>, <c>1h30m</c>, <c>2d</c> or <c>01:30:00</c>.</summary>
internal static partial class DurationParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The duration.</param>
    /// <param name="duration">The result.</param>
    /// <returns>True when the text is a positive duration.</returns>
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
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unit = part.Value[^1];
                var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                duration += unit switch
                {
                    'd' => TimeSpan.FromDays(value),
                    'h' => TimeSpan.FromHours(value),
                    'm' => TimeSpan.FromMinutes(value),
                    _ => TimeSpan.FromSeconds(value),
                };
            }

            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[dhms])+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Units();
}
