using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// SentencePiece's own normalizer (<c>normalizer.cc</c>), for a bare <c>spiece.model</c>: the longest charsmap rule at each
/// position, then <c>remove_extra_whitespaces</c> (leading, trailing and repeated spaces dropped), <c>add_dummy_prefix</c>
/// and <c>escape_whitespaces</c> (spaces become U+2581).
/// </summary>
internal sealed class SentencePieceNormalizer : INormalizer
{
    private const char SpaceChar = '\u2581';
    private const string SpaceSymbol = "\u2581";

    private readonly CharsMap? _map;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _escapeWhitespaces;

    /// <summary>Creates the normalizer.</summary>
    /// <param name="map">The rules, or null for none (the <c>identity</c> normalizer).</param>
    /// <param name="addDummyPrefix">Prefix a space to non-empty text.</param>
    /// <param name="removeExtraWhitespaces">Drop leading, trailing and repeated spaces.</param>
    /// <param name="escapeWhitespaces">Write spaces as U+2581.</param>
    public SentencePieceNormalizer(CharsMap? map, bool addDummyPrefix, bool removeExtraWhitespaces, bool escapeWhitespaces)
    {
        _map = map;
        _addDummyPrefix = addDummyPrefix;
        _removeExtraWhitespaces = removeExtraWhitespaces;
        _escapeWhitespaces = escapeWhitespaces;
    }

    /// <inheritdoc />
    public string Normalize(string text)
    {
        var input = Encoding.UTF8.GetBytes(text);
        var pos = 0;
        if (_removeExtraWhitespaces)
        {
            while (pos < input.Length)
            {
                var (piece, consumed) = NormalizePrefix(input, pos);
                if (piece != " ")
                {
                    break;
                }

                pos += consumed;
            }
        }

        var sb = new StringBuilder(text.Length + 8);
        if (pos >= input.Length)
        {
            return string.Empty;
        }

        if (_addDummyPrefix)
        {
            sb.Append(_escapeWhitespaces ? SpaceChar : ' ');
        }

        var previousIsSpace = _removeExtraWhitespaces;
        while (pos < input.Length)
        {
            var (piece, consumed) = NormalizePrefix(input, pos);
            var span = piece.AsSpan();
            if (previousIsSpace)
            {
                span = span.TrimStart(' ');
            }

            if (!span.IsEmpty)
            {
                foreach (var c in span)
                {
                    if (c == ' ' && _escapeWhitespaces)
                    {
                        sb.Append(SpaceChar);
                    }
                    else
                    {
                        sb.Append(c);
                    }
                }

                previousIsSpace = span[^1] == ' ';
            }

            pos += consumed;
            if (!_removeExtraWhitespaces)
            {
                previousIsSpace = false;
            }
        }

        if (_removeExtraWhitespaces)
        {
            var space = _escapeWhitespaces ? SpaceSymbol : " ";
            while (sb.Length >= space.Length && sb.ToString(sb.Length - space.Length, space.Length) == space)
            {
                sb.Length -= space.Length;
            }
        }

        return sb.ToString();
    }

    /// <summary>The normalized text of the longest rule at <paramref name="pos"/> and the bytes it consumes; one character unchanged when no rule matches.</summary>
    private (string Piece, int Consumed) NormalizePrefix(byte[] input, int pos)
    {
        var rest = input.AsSpan(pos);
        if (_map is not null)
        {
            var length = _map.LongestPrefixMatch(rest, out var replacement);
            if (length > 0)
            {
                return (replacement!, length);
            }
        }

        var width = Utf8Width(rest[0]);
        if (width > rest.Length || width == 0)
        {
            return ("\uFFFD", 1);
        }

        return (Encoding.UTF8.GetString(rest[..width]), width);
    }

    private static int Utf8Width(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xC2 and < 0xE0 => 2,
        >= 0xE0 and < 0xF0 => 3,
        >= 0xF0 and < 0xF5 => 4,
        _ => 0,
    };
}
