using System.Buffers;
using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>The character classes the pre-tokenizer patterns use, computed per Unicode scalar value (as Oniguruma does), not per UTF-16 unit.</summary>
internal enum CharKind : byte
{
    /// <summary><c>\p{L}</c>.</summary>
    Letter,

    /// <summary><c>\p{N}</c>.</summary>
    Number,

    /// <summary><c>\s</c> (Unicode White_Space).</summary>
    Space,

    /// <summary>Anything else: <c>[^\s\p{L}\p{N}]</c>.</summary>
    Other,
}

/// <summary>Classifies the scalar value at a position of a UTF-16 string.</summary>
internal static class CharClass
{
    private static readonly CharKind[] Ascii = BuildAscii();

    /// <summary>Classifies the scalar at <paramref name="index"/> and returns its width in UTF-16 units (1 or 2).</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">A position inside the text.</param>
    /// <param name="width">The width of the scalar in UTF-16 units.</param>
    /// <returns>The class.</returns>
    public static CharKind At(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        if (c < 0x80)
        {
            width = 1;
            return Ascii[c];
        }

        if (Rune.DecodeFromUtf16(text[index..], out var rune, out width) != OperationStatus.Done)
        {
            width = 1;
            return CharKind.Other; // a lone surrogate: neither letter, number nor space
        }

        return Of(rune);
    }

    /// <summary>Classifies one scalar value.</summary>
    /// <param name="rune">The scalar value.</param>
    /// <returns>The class.</returns>
    public static CharKind Of(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            return CharKind.Space;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
                return CharKind.Letter;
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return CharKind.Number;
            default:
                return CharKind.Other;
        }
    }

    /// <summary>Returns the end of the run of scalars of class <paramref name="kind"/> that starts at <paramref name="index"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">The first position to test.</param>
    /// <param name="kind">The class of the run.</param>
    /// <returns>The first position after the run.</returns>
    public static int RunEnd(ReadOnlySpan<char> text, int index, CharKind kind)
    {
        while (index < text.Length && At(text, index, out var w) == kind)
        {
            index += w;
        }

        return index;
    }

    private static CharKind[] BuildAscii()
    {
        var table = new CharKind[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = Of(new Rune(c));
        }

        return table;
    }
}
