using Mlrb.Eval.Tokenization.Patterns;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>A character-predicate pattern (tokenizers' <c>Fn(char) -&gt; bool</c> and <c>char</c> patterns): every matching code point is its own match.</summary>
/// <param name="predicate">Which code points match.</param>
internal sealed class PredicateMatchFinder(Func<int, bool> predicate) : IMatchFinder
{
    /// <summary>Unicode White_Space (Rust's <c>char::is_whitespace</c>).</summary>
    public static readonly PredicateMatchFinder Whitespace = new(UnicodeData.IsWhiteSpace);

    /// <summary>BERT punctuation.</summary>
    public static readonly PredicateMatchFinder BertPunctuation = new(BertCharacterClasses.IsPunctuation);

    /// <inheritdoc />
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        var i = 0;
        while (i < text.Length)
        {
            var cp = UnicodeData.CodePointAt(text, i, out var width);
            if (predicate(cp))
            {
                matches.Add((i, width));
            }

            i += width;
        }
    }
}
