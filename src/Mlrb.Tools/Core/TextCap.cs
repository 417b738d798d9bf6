using System.Globalization;

namespace Mlrb.Tools.Core;

/// <summary>Caps text for a model by keeping its head and tail with a marker in between.</summary>
internal static class TextCap
{
    /// <summary>Returns <paramref name="text"/> unchanged when it fits, else its head and tail around a marker.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChars">The limit (at least 200).</param>
    /// <returns>The capped text, never longer than <paramref name="maxChars"/>.</returns>
    public static string HeadTail(string text, int maxChars)
    {
        maxChars = Math.Max(200, maxChars);
        if (text.Length <= maxChars)
        {
            return text;
        }

        // The marker's exact length depends on the numbers; reserve room generously.
        const int markerRoom = 120;
        var keep = maxChars - markerRoom;
        var head = keep / 2;
        var tail = keep - head;
        var cut = text.AsSpan(head, text.Length - head - tail);
        var lines = cut.Count('\n');
        var marker = string.Create(
            CultureInfo.InvariantCulture,
            $"\n[... {cut.Length} characters ({lines} lines) cut from the middle ...]\n");
        return string.Concat(text.AsSpan(0, head), marker, text.AsSpan(text.Length - tail));
    }

    /// <summary>Whether <see cref="HeadTail"/> would cut <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChars">The limit.</param>
    /// <returns>True when the text is too long.</returns>
    public static bool WouldCut(string text, int maxChars) => text.Length > Math.Max(200, maxChars);
}
