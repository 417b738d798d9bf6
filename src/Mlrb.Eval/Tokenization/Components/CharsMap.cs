using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>
/// SentencePiece's precompiled normalization rules (<c>precompiled_charsmap</c>): a little-endian u32 trie size, a
/// darts-clone double-array trie over UTF-8 keys, then NUL-terminated UTF-8 replacement strings the trie's values index.
/// </summary>
internal sealed class CharsMap
{
    private readonly uint[] _units;
    private readonly byte[] _normalized;
    private readonly ConcurrentDictionary<int, string> _strings = new();

    private CharsMap(uint[] units, byte[] normalized)
    {
        _units = units;
        _normalized = normalized;
    }

    /// <summary>Parses the blob.</summary>
    /// <param name="blob">The charsmap bytes.</param>
    /// <returns>The map.</returns>
    /// <exception cref="FormatException">The blob is truncated or its strings are not UTF-8.</exception>
    public static CharsMap Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 4)
        {
            throw new FormatException("the charsmap is shorter than its 4-byte header");
        }

        var trieBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieBytes % 4 != 0 || trieBytes > (uint)(blob.Length - 4) || trieBytes == 0)
        {
            throw new FormatException($"the charsmap's trie size {trieBytes} does not fit its {blob.Length} bytes");
        }

        var units = new uint[trieBytes / 4];
        for (var i = 0; i < units.Length; i++)
        {
            units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob[(4 + (4 * i))..]);
        }

        var normalized = blob[(4 + (int)trieBytes)..].ToArray();
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(normalized);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException("the charsmap's replacement strings are not valid UTF-8", ex);
        }

        return new CharsMap(units, normalized);
    }

    /// <summary>
    /// The replacement of the shortest key that is a prefix of <paramref name="key"/> (darts-clone's common-prefix search,
    /// first result), or null when no key is. A NUL byte ends the search.
    /// </summary>
    /// <param name="key">UTF-8 bytes.</param>
    /// <returns>The replacement, or null.</returns>
    public string? FirstPrefixMatch(ReadOnlySpan<byte> key)
    {
        var index = FirstPrefixValue(key);
        return index < 0 ? null : StringAt(index);
    }

    /// <summary>The longest key that is a prefix of <paramref name="key"/>, as SentencePiece's own normalizer picks it.</summary>
    /// <param name="key">UTF-8 bytes.</param>
    /// <param name="replacement">The replacement.</param>
    /// <returns>The key's length in bytes, or 0 when no key matches.</returns>
    public int LongestPrefixMatch(ReadOnlySpan<byte> key, out string? replacement)
    {
        replacement = null;
        var length = 0;
        var pos = Offset(Unit(0));
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == 0)
            {
                break;
            }

            pos ^= c;
            var unit = Unit(pos);
            if (Label(unit) != c)
            {
                break;
            }

            pos ^= Offset(unit);
            if (HasLeaf(unit))
            {
                length = i + 1;
                replacement = StringAt((int)(Unit(pos) & 0x7FFFFFFF));
            }
        }

        return length;
    }

    private int FirstPrefixValue(ReadOnlySpan<byte> key)
    {
        var pos = Offset(Unit(0));
        foreach (var c in key)
        {
            if (c == 0)
            {
                return -1;
            }

            pos ^= c;
            var unit = Unit(pos);
            if (Label(unit) != c)
            {
                return -1;
            }

            pos ^= Offset(unit);
            if (HasLeaf(unit))
            {
                return (int)(Unit(pos) & 0x7FFFFFFF);
            }
        }

        return -1;
    }

    private uint Unit(long pos) => pos >= 0 && pos < _units.Length ? _units[pos] : 0;

    private static long Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    private static uint Label(uint unit) => unit & ((1u << 31) | 0xFF);

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private string StringAt(int index)
        => _strings.GetOrAdd(index, i =>
        {
            if (i >= _normalized.Length)
            {
                return string.Empty;
            }

            var end = Array.IndexOf(_normalized, (byte)0, i);
            return Encoding.UTF8.GetString(_normalized, i, (end < 0 ? _normalized.Length : end) - i);
        });
}
