using System.Globalization;

namespace Mlrb.Tasks.ToolCalls;

/// <summary>
/// Caps text sent to a model by keeping its head and tail with a marker in between (the end of a log is where the
/// errors are). The one capper the tools and the agent share.
/// </summary>
public static class ToolOutputCap
{
    /// <summary>The smallest cap: anything lower is raised to this.</summary>
    public const int MinimumChars = 200;

    // The marker's exact length depends on the numbers; this much room is kept for it.
    private const int MarkerRoom = 120;

    /// <summary>Returns <paramref name="text"/> unchanged when it fits, else its head and tail around a marker.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChars">The limit (at least <see cref="MinimumChars"/>).</param>
    /// <returns>The capped text, never longer than <paramref name="maxChars"/>.</returns>
    public static string Cap(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        maxChars = Math.Max(MinimumChars, maxChars);
        if (text.Length <= maxChars)
        {
            return text;
        }

        var keep = maxChars - MarkerRoom;
        var head = keep / 2;
        var tail = keep - head;
        var cut = text.AsSpan(head, text.Length - head - tail);
        var lines = cut.Count('\n');
        var marker = string.Create(
            CultureInfo.InvariantCulture,
            $"\n[... {cut.Length} characters ({lines} lines) cut from the middle ...]\n");
        return string.Concat(text.AsSpan(0, head), marker, text.AsSpan(text.Length - tail));
    }

    /// <summary>Whether <see cref="Cap"/> would cut <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChars">The limit.</param>
    /// <returns>True when the text is too long.</returns>
    public static bool WouldCut(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > Math.Max(MinimumChars, maxChars);
    }
}
