namespace Mlrb.Agents.ToolLoop;

/// <summary>Cuts long text to a cap, keeping its head and tail (the end of a log is where the errors are).</summary>
internal static class TextCapper
{
    /// <summary>Caps <paramref name="text"/> at about <paramref name="maxChars"/> characters.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxChars">The cap.</param>
    /// <returns>The text, or its head and tail around a marker saying how much was left out.</returns>
    public static string Cap(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var head = maxChars / 3;
        var tail = maxChars - head;
        return string.Concat(text.AsSpan(0, head), $"\n[... {text.Length - head - tail} characters left out ...]\n", text.AsSpan(text.Length - tail));
    }
}
