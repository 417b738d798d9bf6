using System.Text.RegularExpressions;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Replace</c>: replaces every literal or regex match, left to right (also the <c>Replace</c> decoder).</summary>
internal sealed class ReplaceNormalizer : INormalizer
{
    private readonly string? _literal;
    private readonly Regex? _regex;
    private readonly string _content;

    /// <summary>Creates the normalizer.</summary>
    /// <param name="pattern">The literal or regex.</param>
    /// <param name="isRegex">Whether <paramref name="pattern"/> is a regex.</param>
    /// <param name="content">The replacement.</param>
    public ReplaceNormalizer(string pattern, bool isRegex, string content)
    {
        _content = content;
        if (isRegex)
        {
            _regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));
        }
        else
        {
            _literal = pattern;
        }
    }

    /// <inheritdoc />
    public string Normalize(string text)
    {
        if (_literal is not null)
        {
            return _literal.Length == 0 ? text : text.Replace(_literal, _content, StringComparison.Ordinal);
        }

        return _regex!.Replace(text, _content.Replace("$", "$$", StringComparison.Ordinal));
    }
}
