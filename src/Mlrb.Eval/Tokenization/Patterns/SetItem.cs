namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>One member of a character class: a code point range, a set of general categories, or a named property; optionally negated.</summary>
/// <param name="Kind">What the item tests.</param>
/// <param name="Low">First code point of a range, or the category bit mask (low 32 bits) for <see cref="SetItemKind.Categories"/>.</param>
/// <param name="High">Last code point of a range.</param>
/// <param name="Negated">Whether the item matches the complement.</param>
internal readonly record struct SetItem(SetItemKind Kind, int Low, int High, bool Negated)
{
    /// <summary>Whether the item matches a code point.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True on a match.</returns>
    public bool Matches(int cp) => Test(cp) != Negated;

    private bool Test(int cp) => Kind switch
    {
        SetItemKind.Range => cp >= Low && cp <= High,
        SetItemKind.Categories => (Low & (1 << (int)UnicodeData.Category(cp))) != 0,
        SetItemKind.Space => UnicodeData.IsWhiteSpace(cp),
        SetItemKind.Word => UnicodeData.IsWord(cp),
        SetItemKind.Digit => UnicodeData.Category(cp) == System.Globalization.UnicodeCategory.DecimalDigitNumber,
        SetItemKind.HexDigit => cp is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F',
        SetItemKind.Any => true,
        SetItemKind.Nested => throw new InvalidOperationException("nested classes are evaluated by their set"),
        _ => false,
    };
}

/// <summary>What a <see cref="SetItem"/> tests.</summary>
internal enum SetItemKind : byte
{
    /// <summary>A code point range.</summary>
    Range,

    /// <summary>A union of general categories (a bit per <see cref="System.Globalization.UnicodeCategory"/>).</summary>
    Categories,

    /// <summary>Unicode White_Space (<c>\s</c>).</summary>
    Space,

    /// <summary>Oniguruma's Unicode word characters (<c>\w</c>).</summary>
    Word,

    /// <summary>Decimal digits, category Nd (<c>\d</c>).</summary>
    Digit,

    /// <summary>ASCII hex digits (<c>\h</c>).</summary>
    HexDigit,

    /// <summary>Every code point.</summary>
    Any,

    /// <summary>A nested class (held separately by the owning set).</summary>
    Nested,
}
