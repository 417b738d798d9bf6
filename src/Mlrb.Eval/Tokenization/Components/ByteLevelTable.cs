namespace Mlrb.Eval.Tokenization.Components;

/// <summary>GPT-2's reversible byte-to-character table: printable bytes map to themselves, the other 68 to U+0100 onwards.</summary>
internal static class ByteLevelTable
{
    /// <summary>The character each byte maps to.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>The byte of each mapped character, indexed by code point (0–0x143), or -1.</summary>
    public static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>Returns the byte for a mapped character, or -1 when the character is outside the table.</summary>
    /// <param name="c">The mapped character.</param>
    /// <returns>The byte, or -1.</returns>
    public static int ToByte(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(0x100 + next++);
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var table = new short[0x144];
        Array.Fill(table, (short)-1);
        var forward = BuildByteToChar();
        for (var b = 0; b < 256; b++)
        {
            table[forward[b]] = (short)b;
        }

        return table;
    }
}
