using Mlrb.Eval.Tokenization.Patterns;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Replace</c>: replaces every literal or regex match, left to right (also the <c>Replace</c> decoder); regexes match per code point.</summary>
internal sealed class ReplaceNormalizer : INormalizer
{
    private readonly string? _literal;
    private readonly CodePointRegex? _regex;
    private readonly string _content;

    /// <summary>Creates the normalizer.</summary>
    /// <param name="pattern">The literal or regex.</param>
    /// <param name="isRegex">Whether <paramref name="pattern"/> is a regex.</param>
    /// <param name="content">The replacement (literal text).</param>
    /// <exception cref="ArgumentException">The regex is malformed or unsupported.</exception>
    public ReplaceNormalizer(string pattern, bool isRegex, string content)
    {
        _content = content;
        if (isRegex || pattern.Length == 0)
        {
            _regex = isRegex ? CodePointRegex.Create(pattern) : CodePointRegex.ForLiteral(pattern);
        }
        else
        {
            _literal = pattern;
        }
    }

    /// <inheritdoc />
    public string Normalize(string text)
        => _literal is not null ? text.Replace(_literal, _content, StringComparison.Ordinal) : _regex!.Replace(text, _content);
}
