using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// tokenizers' <c>Precompiled</c> normalizer (T5, mT5, XLM-R ...): per extended grapheme cluster, a cluster shorter than
/// 6 UTF-8 bytes whose bytes start with a charsmap key is replaced whole by that key's replacement (the shortest key);
/// otherwise each character is replaced by its own rule or kept.
/// </summary>
internal sealed class PrecompiledNormalizer : INormalizer
{
    private readonly CharsMap _map;
    private readonly string?[] _ascii = new string?[128];

    /// <summary>Creates the normalizer.</summary>
    /// <param name="map">The rules.</param>
    public PrecompiledNormalizer(CharsMap map)
    {
        _map = map;
        Span<byte> one = stackalloc byte[1];
        for (var c = 0; c < 128; c++)
        {
            one[0] = (byte)c;
            _ascii[c] = map.FirstPrefixMatch(one);
        }
    }

    /// <inheritdoc />
    public string Normalize(string text)
    {
        StringBuilder? sb = null;
        Span<byte> buffer = stackalloc byte[8];
        var pos = 0;
        while (pos < text.Length)
        {
            var c = text[pos];
            int length;
            if (c < 0x80 && (pos + 1 == text.Length || text[pos + 1] < 0x80) && !(c == '\r' && pos + 1 < text.Length && text[pos + 1] == '\n'))
            {
                length = 1; // an ASCII character followed by ASCII is its own cluster (CR LF excepted)
            }
            else
            {
                length = StringInfo.GetNextTextElementLength(text.AsSpan(pos));
            }

            var cluster = text.AsSpan(pos, length);
            var replacement = length == 1 && c < 0x80 ? _ascii[c] : ClusterReplacement(cluster, buffer);
            if (replacement is not null)
            {
                sb ??= new StringBuilder(text.Length + 8).Append(text, 0, pos);
                sb.Append(replacement);
            }
            else if (length == 1 || !PerCharacter(cluster, buffer, ref sb, text, pos))
            {
                sb?.Append(cluster);
            }

            pos += length;
        }

        return sb?.ToString() ?? text;
    }

    private string? ClusterReplacement(ReadOnlySpan<char> cluster, Span<byte> buffer)
    {
        if (Encoding.UTF8.GetByteCount(cluster) >= 6)
        {
            return null;
        }

        var count = Encoding.UTF8.GetBytes(cluster, buffer);
        return _map.FirstPrefixMatch(buffer[..count]);
    }

    /// <summary>Rules per character of a cluster; returns false (appending nothing) when none applies.</summary>
    private bool PerCharacter(ReadOnlySpan<char> cluster, Span<byte> buffer, ref StringBuilder? sb, string text, int pos)
    {
        var any = false;
        var i = 0;
        var parts = new List<(int Start, int Length, string? Replacement)>();
        while (i < cluster.Length)
        {
            var width = char.IsHighSurrogate(cluster[i]) && i + 1 < cluster.Length && char.IsLowSurrogate(cluster[i + 1]) ? 2 : 1;
            var count = Encoding.UTF8.GetBytes(cluster.Slice(i, width), buffer);
            var replacement = _map.FirstPrefixMatch(buffer[..count]);
            any |= replacement is not null;
            parts.Add((i, width, replacement));
            i += width;
        }

        if (!any)
        {
            return false;
        }

        sb ??= new StringBuilder(text.Length + 8).Append(text, 0, pos);
        foreach (var (start, length, replacement) in parts)
        {
            if (replacement is not null)
            {
                sb.Append(replacement);
            }
            else
            {
                sb.Append(cluster.Slice(start, length));
            }
        }

        return true;
    }
}
