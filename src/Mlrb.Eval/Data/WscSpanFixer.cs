namespace Mlrb.Eval.Data;

/// <summary>
/// The Hugging Face <c>wsc.fixed</c> correction: a span text that is not a substring of the text gets the case of the
/// word at its index for its first letter, loses trailing periods and has newlines turned into spaces.
/// </summary>
internal static class WscSpanFixer
{
    /// <summary>Applies the fix to both spans (idempotent: a fixed span is a substring, so it is left alone).</summary>
    public static WscRow Fix(WscRow row)
        => row with
        {
            Span1Text = FixSpan(row.Text, row.Span1Text, row.Span1Index),
            Span2Text = FixSpan(row.Text, row.Span2Text, row.Span2Index),
        };

    private static string FixSpan(string text, string span, int index)
    {
        if (text.Contains(span, StringComparison.Ordinal) || span.Length == 0)
        {
            return span;
        }

        var words = PyText.Split(text);
        if (index >= 0 && index < words.Count)
        {
            var first = words[index];
            span = char.IsLower(first[0]) ? PyText.LowerFirst(span) : PyText.UpperFirst(span);
        }

        return span.TrimEnd('.').Replace("\n", " ", StringComparison.Ordinal);
    }
}
