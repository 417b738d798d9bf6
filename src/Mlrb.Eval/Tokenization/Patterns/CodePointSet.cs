namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>
/// A character class evaluated per Unicode code point: a union of items and nested classes, optionally intersected,
/// negated and case-insensitive. Membership of the Basic Multilingual Plane is precomputed as a bitmap.
/// </summary>
internal sealed class CodePointSet
{
    private const int BmpSize = 0x10000;

    private readonly SetItem[] _items;
    private readonly CodePointSet[] _nested;
    private readonly CodePointSet? _intersect;
    private readonly bool _negated;
    private readonly bool _ignoreCase;
    private readonly ulong[] _bmp;

    /// <summary>Creates the set.</summary>
    /// <param name="items">The items of the union.</param>
    /// <param name="nested">Nested classes in the union.</param>
    /// <param name="intersect">A class the union is intersected with (<c>&amp;&amp;</c>), or null.</param>
    /// <param name="negated">Whether the class is negated (<c>[^...]</c>).</param>
    /// <param name="ignoreCase">Whether a code point also matches through its case variants.</param>
    public CodePointSet(IReadOnlyList<SetItem> items, IReadOnlyList<CodePointSet> nested, CodePointSet? intersect, bool negated, bool ignoreCase)
    {
        _items = [.. items];
        _nested = [.. nested];
        _intersect = intersect;
        _negated = negated;
        _ignoreCase = ignoreCase;
        _bmp = new ulong[BmpSize / 64];
        for (var cp = 0; cp < BmpSize; cp++)
        {
            if (Evaluate(cp))
            {
                _bmp[cp >> 6] |= 1UL << (cp & 63);
            }
        }
    }

    /// <summary>Creates a set of one item.</summary>
    /// <param name="item">The item.</param>
    /// <param name="ignoreCase">Whether case variants match too.</param>
    /// <returns>The set.</returns>
    public static CodePointSet Of(SetItem item, bool ignoreCase = false) => new([item], [], null, negated: false, ignoreCase);

    /// <summary>Whether the set contains a code point.</summary>
    /// <param name="cp">The code point.</param>
    /// <returns>True when it matches.</returns>
    public bool Contains(int cp) => cp < BmpSize ? (_bmp[cp >> 6] & (1UL << (cp & 63))) != 0 : Evaluate(cp);

    private bool Evaluate(int cp)
    {
        if (!_ignoreCase)
        {
            return EvaluateExact(cp) != _negated;
        }

        foreach (var variant in UnicodeData.CaseVariants(cp))
        {
            if (EvaluateExact(variant))
            {
                return !_negated;
            }
        }

        return _negated;
    }

    private bool EvaluateExact(int cp)
    {
        var inUnion = false;
        foreach (var item in _items)
        {
            if (item.Matches(cp))
            {
                inUnion = true;
                break;
            }
        }

        if (!inUnion)
        {
            foreach (var set in _nested)
            {
                if (set.Contains(cp))
                {
                    inUnion = true;
                    break;
                }
            }
        }

        return inUnion && (_intersect is null || _intersect.Contains(cp));
    }
}
