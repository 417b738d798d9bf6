using System.Globalization;

namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>The <c>\p{...}</c> names Oniguruma accepts that the engine implements: general categories (short and long names) and a few POSIX-style properties.</summary>
internal static class UnicodeProperties
{
    private static readonly Dictionary<string, SetItem> Items = Build();

    /// <summary>Looks a property name up (case, spaces, hyphens and underscores ignored, as Oniguruma does).</summary>
    /// <param name="name">The name inside the braces.</param>
    /// <param name="item">The item.</param>
    /// <returns>False for an unknown or unsupported name.</returns>
    public static bool TryGet(string name, out SetItem item) => Items.TryGetValue(Canonical(name), out item);

    private static string Canonical(string name)
        => new(name.Where(c => c is not (' ' or '_' or '-')).Select(char.ToLowerInvariant).ToArray());

    private static int Mask(params UnicodeCategory[] categories) => categories.Aggregate(0, (m, c) => m | (1 << (int)c));

    private static Dictionary<string, SetItem> Build()
    {
        var d = new Dictionary<string, SetItem>(StringComparer.Ordinal);
        void Cat(int mask, params string[] names)
        {
            foreach (var n in names)
            {
                d[Canonical(n)] = new SetItem(SetItemKind.Categories, mask, 0, false);
            }
        }

        const UnicodeCategory lu = UnicodeCategory.UppercaseLetter, ll = UnicodeCategory.LowercaseLetter, lt = UnicodeCategory.TitlecaseLetter,
            lm = UnicodeCategory.ModifierLetter, lo = UnicodeCategory.OtherLetter, mn = UnicodeCategory.NonSpacingMark,
            mc = UnicodeCategory.SpacingCombiningMark, me = UnicodeCategory.EnclosingMark, nd = UnicodeCategory.DecimalDigitNumber,
            nl = UnicodeCategory.LetterNumber, no = UnicodeCategory.OtherNumber, pc = UnicodeCategory.ConnectorPunctuation,
            pd = UnicodeCategory.DashPunctuation, ps = UnicodeCategory.OpenPunctuation, pe = UnicodeCategory.ClosePunctuation,
            pi = UnicodeCategory.InitialQuotePunctuation, pf = UnicodeCategory.FinalQuotePunctuation, po = UnicodeCategory.OtherPunctuation,
            sm = UnicodeCategory.MathSymbol, sc = UnicodeCategory.CurrencySymbol, sk = UnicodeCategory.ModifierSymbol, so = UnicodeCategory.OtherSymbol,
            zs = UnicodeCategory.SpaceSeparator, zl = UnicodeCategory.LineSeparator, zp = UnicodeCategory.ParagraphSeparator,
            cc = UnicodeCategory.Control, cf = UnicodeCategory.Format, cs = UnicodeCategory.Surrogate, co = UnicodeCategory.PrivateUse,
            cn = UnicodeCategory.OtherNotAssigned;

        Cat(Mask(lu, ll, lt, lm, lo), "L", "Letter");
        Cat(Mask(lu, ll, lt), "LC", "L&", "Cased_Letter");
        Cat(Mask(lu), "Lu", "Uppercase_Letter", "Upper", "Uppercase");
        Cat(Mask(ll), "Ll", "Lowercase_Letter", "Lower", "Lowercase");
        Cat(Mask(lt), "Lt", "Titlecase_Letter");
        Cat(Mask(lm), "Lm", "Modifier_Letter");
        Cat(Mask(lo), "Lo", "Other_Letter");
        Cat(Mask(mn, mc, me), "M", "Mark", "Combining_Mark");
        Cat(Mask(mn), "Mn", "Nonspacing_Mark");
        Cat(Mask(mc), "Mc", "Spacing_Mark");
        Cat(Mask(me), "Me", "Enclosing_Mark");
        Cat(Mask(nd, nl, no), "N", "Number");
        Cat(Mask(nd), "Nd", "Decimal_Number", "Digit");
        Cat(Mask(nl), "Nl", "Letter_Number");
        Cat(Mask(no), "No", "Other_Number");
        Cat(Mask(pc, pd, ps, pe, pi, pf, po), "P", "Punctuation");
        Cat(Mask(pc), "Pc", "Connector_Punctuation");
        Cat(Mask(pd), "Pd", "Dash_Punctuation");
        Cat(Mask(ps), "Ps", "Open_Punctuation");
        Cat(Mask(pe), "Pe", "Close_Punctuation");
        Cat(Mask(pi), "Pi", "Initial_Punctuation");
        Cat(Mask(pf), "Pf", "Final_Punctuation");
        Cat(Mask(po), "Po", "Other_Punctuation");
        Cat(Mask(sm, sc, sk, so), "S", "Symbol");
        Cat(Mask(sm), "Sm", "Math_Symbol");
        Cat(Mask(sc), "Sc", "Currency_Symbol");
        Cat(Mask(sk), "Sk", "Modifier_Symbol");
        Cat(Mask(so), "So", "Other_Symbol");
        Cat(Mask(zs, zl, zp), "Z", "Separator");
        Cat(Mask(zs), "Zs", "Space_Separator");
        Cat(Mask(zl), "Zl", "Line_Separator");
        Cat(Mask(zp), "Zp", "Paragraph_Separator");
        Cat(Mask(cc, cf, cs, co, cn), "C", "Other");
        Cat(Mask(cc), "Cc", "Control", "Cntrl");
        Cat(Mask(cf), "Cf", "Format");
        Cat(Mask(cs), "Cs", "Surrogate");
        Cat(Mask(co), "Co", "Private_Use");
        Cat(Mask(cn), "Cn", "Unassigned");
        Cat(Mask(lu, ll, lt, lm, lo, nl), "Alpha", "Alphabetic");
        Cat(Mask(lu, ll, lt, lm, lo, nl, nd), "Alnum");
        d["any"] = new SetItem(SetItemKind.Any, 0, 0, false);
        d["ascii"] = new SetItem(SetItemKind.Range, 0, 0x7F, false);
        d["space"] = d["whitespace"] = new SetItem(SetItemKind.Space, 0, 0, false);
        d["word"] = new SetItem(SetItemKind.Word, 0, 0, false);
        d["xdigit"] = new SetItem(SetItemKind.HexDigit, 0, 0, false);
        return d;
    }
}
