using System.Globalization;
using System.Net;

namespace Mlrb.Cli.Viewer.Html;

/// <summary>Encoding and number formatting for the viewer's pages. Every piece of stored text goes through <see cref="E"/>.</summary>
internal static class HtmlText
{
    /// <summary>HTML-encodes text (element content and quoted attribute values): &lt; &gt; &amp; " ' all escaped.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Encodes a value for a URL path segment or query value.</summary>
    public static string U(string? text) => Uri.EscapeDataString(text ?? string.Empty);

    /// <summary>A number with fixed decimals, invariant culture; an em dash for null or non-finite.</summary>
    public static string N(double? value, int decimals = 3) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "—";

    /// <summary>An integer with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>US dollars, or an em dash.</summary>
    public static string Usd(decimal? value) => value is { } v ? "$" + v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    /// <summary>A duration as h:mm:ss (or d.hh:mm:ss), or an em dash.</summary>
    public static string Duration(TimeSpan? value) => value is not { } v ? "—"
        : v.TotalDays >= 1 ? v.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture)
        : v.TotalSeconds >= 1 ? v.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : ((int)v.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    /// <summary>A UTC time stamp, to the second.</summary>
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";

    /// <summary>Cuts text to <paramref name="max"/> characters, saying how much was cut.</summary>
    public static string Cap(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text ?? string.Empty;
        }

        return string.Concat(text.AsSpan(0, max), $"\n… ({Count(text.Length - max)} more characters)");
    }
}
