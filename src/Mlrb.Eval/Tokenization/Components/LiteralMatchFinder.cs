namespace Mlrb.Eval.Tokenization.Components;

/// <summary>Finds the non-overlapping occurrences of a non-empty literal string, left to right (a <c>{"String": ...}</c> pattern).</summary>
/// <param name="literal">The string.</param>
internal sealed class LiteralMatchFinder(string literal) : IMatchFinder
{
    /// <inheritdoc />
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var index = text[from..].IndexOf(literal, StringComparison.Ordinal);
            if (index < 0)
            {
                return;
            }

            matches.Add((from + index, literal.Length));
            from += index + literal.Length;
        }
    }
}
