using System.Text;
using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>
/// A tokenizer.json regex (Oniguruma syntax) matched per Unicode code point: finds matches as the onig crate's
/// <c>find_iter</c> does (leftmost, empty matches kept except right after a match) and replaces them.
/// </summary>
internal sealed class CodePointRegex : IMatchFinder
{
    private readonly PatternMachine _machine;

    private CodePointRegex(PatternMachine machine, string pattern)
    {
        _machine = machine;
        Pattern = pattern;
    }

    /// <summary>The pattern text.</summary>
    public string Pattern { get; }

    /// <summary>Compiles a regex.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The regex.</returns>
    /// <exception cref="ArgumentException">The pattern is malformed or uses an unsupported construct.</exception>
    public static CodePointRegex Create(string pattern)
        => new(PatternCompiler.Compile(PatternParser.Parse(pattern)), pattern);

    /// <summary>A regex that matches a literal string.</summary>
    /// <param name="literal">The string.</param>
    /// <returns>The regex.</returns>
    public static CodePointRegex ForLiteral(string literal)
        => new(PatternCompiler.Compile(PatternParser.Literal(literal)), literal);

    /// <inheritdoc />
    /// <remarks>Empty matches are reported with length 0, as tokenizers' split sees them.</remarks>
    public void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        var searchFrom = 0;
        var lastMatchEnd = -1;
        while (searchFrom <= text.Length)
        {
            var (start, end) = Search(text, searchFrom);
            if (start < 0)
            {
                return;
            }

            if (start == end && lastMatchEnd == end)
            {
                // No empty match right after the previous match: move on one character.
                if (searchFrom >= text.Length)
                {
                    return;
                }

                UnicodeData.CodePointAt(text, searchFrom, out var w);
                searchFrom += w;
                continue;
            }

            matches.Add((start, end - start));
            searchFrom = end;
            lastMatchEnd = end;
        }
    }

    /// <summary>Replaces every match, left to right, with <paramref name="content"/> (taken literally).</summary>
    /// <param name="text">The text.</param>
    /// <param name="content">The replacement.</param>
    /// <returns>The new text.</returns>
    public string Replace(string text, string content)
    {
        var matches = new List<(int Start, int Length)>();
        FindMatches(text, matches);
        if (matches.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + (matches.Count * content.Length));
        var previous = 0;
        foreach (var (start, length) in matches)
        {
            sb.Append(text, previous, start - previous).Append(content);
            previous = start + length;
        }

        return sb.Append(text, previous, text.Length - previous).ToString();
    }

    private (int Start, int End) Search(ReadOnlySpan<char> text, int from)
    {
        var pos = from;
        while (true)
        {
            var end = _machine.MatchAt(text, pos);
            if (end >= 0)
            {
                return (pos, end);
            }

            if (pos >= text.Length)
            {
                return (-1, -1);
            }

            UnicodeData.CodePointAt(text, pos, out var w);
            pos += w;
        }
    }
}
