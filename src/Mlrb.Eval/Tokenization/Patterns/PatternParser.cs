using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>
/// Parses the Oniguruma (Ruby syntax) regex subset that tokenizer.json patterns use into a <see cref="PatternNode"/> tree,
/// by code point. Unsupported constructs (back-references, look-behind, conditionals, scripts) are an
/// <see cref="ArgumentException"/> that names them.
/// </summary>
internal sealed class PatternParser
{
    private readonly int[] _p;
    private readonly string _pattern;
    private int _i;

    private PatternParser(string pattern)
    {
        _pattern = pattern;
        _p = pattern.EnumerateRunes().Select(r => r.Value).ToArray();
    }

    /// <summary>Parses a pattern.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="ArgumentException">The pattern is malformed or uses an unsupported construct.</exception>
    public static PatternNode Parse(string pattern)
    {
        var parser = new PatternParser(pattern);
        var node = parser.ParseAlternation(ignoreCase: false);
        if (parser._i < parser._p.Length)
        {
            throw parser.Error("unmatched ')'");
        }

        return node;
    }

    /// <summary>A pattern that matches a literal string.</summary>
    /// <param name="literal">The string.</param>
    /// <returns>The tree.</returns>
    public static PatternNode Literal(string literal)
        => new PatternNode.Concat(literal.EnumerateRunes().Select(r => (PatternNode)new PatternNode.Literal(r.Value)).ToList());

    private bool AtEnd => _i >= _p.Length;

    private int Peek(int ahead = 0) => _i + ahead < _p.Length ? _p[_i + ahead] : -1;

    private ArgumentException Error(string what)
        => new($"unsupported or malformed regex at code point {_i}: {what} (pattern: {_pattern})");

    private PatternNode ParseAlternation(bool ignoreCase)
    {
        var options = new List<PatternNode> { ParseSequence(ref ignoreCase) };
        while (Peek() == '|')
        {
            _i++;
            options.Add(ParseSequence(ref ignoreCase));
        }

        return options.Count == 1 ? options[0] : new PatternNode.Alternation(options);
    }

    private PatternNode ParseSequence(ref bool ignoreCase)
    {
        var items = new List<PatternNode>();
        var previousLiteral = -1;
        while (!AtEnd && Peek() != '|' && Peek() != ')')
        {
            if (Peek() == '(' && Peek(1) == '?' && TryParseInlineFlags(ignoreCase, out var newIgnoreCase))
            {
                // "(?i)" applies to the rest of the enclosing group, alternatives included: a(?i)b|c is a(?i:b|c).
                ignoreCase = newIgnoreCase;
                items.Add(ParseAlternation(ignoreCase));
                break;
            }

            var atom = ParseAtom(ignoreCase, out var literal);
            if (ignoreCase && literal >= 0)
            {
                RejectMultiCharacterFold(previousLiteral, literal);
            }

            var quantified = ParseQuantifiers(atom);
            previousLiteral = ReferenceEquals(quantified, atom) ? literal : -1;
            items.Add(quantified);
        }

        return items.Count switch
        {
            0 => new PatternNode.Empty(),
            1 => items[0],
            _ => new PatternNode.Concat(items),
        };
    }

    /// <summary>
    /// Oniguruma folds some strings case-insensitively onto one character (<c>(?i:ss)</c> matches <c>ß</c>,
    /// <c>(?i:fi)</c> matches <c>ﬁ</c>); the engine folds single characters only, so such literals are refused.
    /// </summary>
    private void RejectMultiCharacterFold(int previous, int current)
    {
        if (MultiCharacterFold(current))
        {
            throw Error($"'{char.ConvertFromUtf32(current)}' under (?i) folds to several characters, which is not supported");
        }

        if (previous is >= 0 and < 0x80 && current < 0x80)
        {
            var pair = string.Concat((char)previous, (char)current).ToLowerInvariant();
            if (pair is "ss" or "st" or "ff" or "fi" or "fl")
            {
                throw Error($"'{pair}' under (?i) also matches a single ligature or 'ß', which is not supported");
            }
        }
    }

    private static bool MultiCharacterFold(int cp)
        => cp is 0xDF or 0x130 or 0x149 or 0x1F0 or 0x390 or 0x3B0 or 0x587 or 0x1E9E or (>= 0x1E96 and <= 0x1E9A)
            or (>= 0xFB00 and <= 0xFB06) or (>= 0xFB13 and <= 0xFB17) or (>= 0x1F50 and <= 0x1F56) or (>= 0x1F80 and <= 0x1FAF)
            or (>= 0x1FB2 and <= 0x1FB7) or 0x1FBC or (>= 0x1FC2 and <= 0x1FC7) or 0x1FCC or (>= 0x1FD2 and <= 0x1FD7)
            or (>= 0x1FE2 and <= 0x1FE7) or (>= 0x1FF2 and <= 0x1FF7) or 0x1FFC;

    /// <summary>Parses "(?flags)" (no colon); leaves the position unchanged when the group is something else.</summary>
    private bool TryParseInlineFlags(bool ignoreCase, out bool result)
    {
        var j = _i + 2;
        var on = true;
        result = ignoreCase;
        while (j < _p.Length && _p[j] != ')')
        {
            switch (_p[j])
            {
                case '-':
                    on = false;
                    break;
                case 'i':
                    result = on;
                    break;
                case 'm' or 'x':
                    throw Error($"option '{(char)_p[j]}' is not supported");
                default:
                    result = ignoreCase;
                    return false;
            }

            j++;
        }

        if (j >= _p.Length || j == _i + 2)
        {
            result = ignoreCase;
            return false;
        }

        _i = j + 1;
        return true;
    }

    private PatternNode ParseQuantifiers(PatternNode atom)
    {
        while (!AtEnd)
        {
            int min, max;
            var isInterval = false;
            switch (Peek())
            {
                case '*':
                    (min, max) = (0, -1);
                    _i++;
                    break;
                case '+':
                    (min, max) = (1, -1);
                    _i++;
                    break;
                case '?':
                    (min, max) = (0, 1);
                    _i++;
                    break;
                case '{' when TryParseInterval(out min, out max):
                    isInterval = true;
                    break;
                default:
                    return atom;
            }

            var mode = RepeatMode.Greedy;
            if (Peek() == '?')
            {
                mode = RepeatMode.Lazy;
                _i++;
            }
            else if (Peek() == '+' && !isInterval)
            {
                // In Ruby syntax "{n,m}+" is a greedy interval followed by '+', not a possessive interval.
                mode = RepeatMode.Possessive;
                _i++;
            }

            if (atom is PatternNode.Anchor or PatternNode.Lookahead)
            {
                throw Error("a quantifier on an assertion");
            }

            atom = new PatternNode.Repeat(atom, min, max, mode);
        }

        return atom;
    }

    private bool TryParseInterval(out int min, out int max)
    {
        min = max = 0;
        var j = _i + 1;
        var low = ReadNumber(ref j);
        var high = low;
        if (j < _p.Length && _p[j] == ',')
        {
            j++;
            high = ReadNumber(ref j) ?? -1;
            low ??= 0;
        }

        if (j >= _p.Length || _p[j] != '}' || low is null)
        {
            return false; // not an interval: '{' is a literal
        }

        if (low > 100_000 || high > 100_000 || (high >= 0 && high < low))
        {
            throw Error("an interval out of range");
        }

        (min, max) = (low.Value, high ?? -1);
        _i = j + 1;
        return true;
    }

    private int? ReadNumber(ref int j)
    {
        var start = j;
        var value = 0;
        while (j < _p.Length && _p[j] is >= '0' and <= '9' && j - start < 7)
        {
            value = (value * 10) + (_p[j] - '0');
            j++;
        }

        return j > start ? value : null;
    }

    private PatternNode ParseAtom(bool ignoreCase, out int literal)
    {
        literal = -1;
        var c = _p[_i++];
        switch (c)
        {
            case '(':
                return ParseGroup(ignoreCase);
            case '[':
                return new PatternNode.CharSet(ParseClass(ignoreCase));
            case '.':
                return new PatternNode.CharSet(new CodePointSet([new SetItem(SetItemKind.Range, '\n', '\n', false)], [], null, negated: true, ignoreCase: false));
            case '^':
                return new PatternNode.Anchor(AnchorKind.LineStart);
            case '$':
                return new PatternNode.Anchor(AnchorKind.LineEnd);
            case '\\':
                return ParseEscape(ignoreCase, out literal);
            case '*' or '+' or '?':
                throw Error($"'{(char)c}' with nothing to repeat");
            default:
                literal = c;
                return LiteralNode(c, ignoreCase);
        }
    }

    private static PatternNode LiteralNode(int cp, bool ignoreCase)
    {
        if (!ignoreCase)
        {
            return new PatternNode.Literal(cp);
        }

        var variants = UnicodeData.CaseVariants(cp);
        return variants.Length == 1
            ? new PatternNode.Literal(cp)
            : new PatternNode.CharSet(new CodePointSet(variants.Select(v => new SetItem(SetItemKind.Range, v, v, false)).ToList(), [], null, false, false));
    }

    private PatternNode ParseGroup(bool ignoreCase)
    {
        PatternNode body;
        if (Peek() != '?')
        {
            body = ParseAlternation(ignoreCase);
        }
        else
        {
            _i++;
            var kind = Peek();
            switch (kind)
            {
                case ':':
                    _i++;
                    body = ParseAlternation(ignoreCase);
                    break;
                case '=' or '!':
                    _i++;
                    body = new PatternNode.Lookahead(ParseAlternation(ignoreCase), Negative: kind == '!');
                    break;
                case '>':
                    _i++;
                    body = new PatternNode.Atomic(ParseAlternation(ignoreCase));
                    break;
                case '<' when Peek(1) is '=' or '!':
                    throw Error("look-behind is not supported");
                case '<' or '\'':
                    SkipGroupName(kind == '<' ? '>' : '\'');
                    body = ParseAlternation(ignoreCase);
                    break;
                case '#':
                    while (!AtEnd && Peek() != ')')
                    {
                        _i++;
                    }

                    body = new PatternNode.Empty();
                    break;
                default:
                    body = ParseScopedFlags(ignoreCase);
                    break;
            }
        }

        if (Peek() != ')')
        {
            throw Error("missing ')'");
        }

        _i++;
        return body;
    }

    /// <summary>"(?i:...)" / "(?-i:...)".</summary>
    private PatternNode ParseScopedFlags(bool ignoreCase)
    {
        var on = true;
        while (!AtEnd && Peek() != ':')
        {
            switch (Peek())
            {
                case '-':
                    on = false;
                    break;
                case 'i':
                    ignoreCase = on;
                    break;
                default:
                    throw Error($"group '(?{char.ConvertFromUtf32(Peek())}' is not supported");
            }

            _i++;
        }

        if (AtEnd)
        {
            throw Error("missing ':' in an option group");
        }

        _i++;
        return ParseAlternation(ignoreCase);
    }

    private void SkipGroupName(char close)
    {
        _i++;
        while (!AtEnd && Peek() != close)
        {
            _i++;
        }

        if (AtEnd)
        {
            throw Error("unterminated group name");
        }

        _i++;
    }

    private PatternNode ParseEscape(bool ignoreCase, out int literal)
    {
        literal = -1;
        if (AtEnd)
        {
            throw Error("a trailing backslash");
        }

        var c = _p[_i++];
        switch (c)
        {
            case 'A':
                return new PatternNode.Anchor(AnchorKind.TextStart);
            case 'z':
                return new PatternNode.Anchor(AnchorKind.TextEnd);
            case 'Z':
                return new PatternNode.Anchor(AnchorKind.TextEndOrFinalNewline);
            case 'b':
                return new PatternNode.Anchor(AnchorKind.WordBoundary);
            case 'B':
                return new PatternNode.Anchor(AnchorKind.NotWordBoundary);
            case >= '1' and <= '9' or 'k' or 'g':
                throw Error("back-references and subexpression calls are not supported");
            case 'G' or 'K' or 'R' or 'X' or 'N' or 'O' or 'y' or 'Y':
                throw Error($"'\\{(char)c}' is not supported");
        }

        _i--;
        if (TryParseClassEscape(out var item, inClass: false))
        {
            return new PatternNode.CharSet(CodePointSet.Of(item, ignoreCase));
        }

        literal = ParseCharEscape(inClass: false);
        return LiteralNode(literal, ignoreCase);
    }

    /// <summary>\s \S \d \D \w \W \h \H \p{..} \P{..}; leaves the position unchanged otherwise.</summary>
    private bool TryParseClassEscape(out SetItem item, bool inClass)
    {
        _ = inClass;
        var c = Peek();
        item = default;
        var negated = c is 'S' or 'D' or 'W' or 'H' or 'P';
        switch (c)
        {
            case 's' or 'S':
                item = new SetItem(SetItemKind.Space, 0, 0, negated);
                break;
            case 'd' or 'D':
                item = new SetItem(SetItemKind.Digit, 0, 0, negated);
                break;
            case 'w' or 'W':
                item = new SetItem(SetItemKind.Word, 0, 0, negated);
                break;
            case 'h' or 'H':
                item = new SetItem(SetItemKind.HexDigit, 0, 0, negated);
                break;
            case 'p' or 'P':
                _i++;
                item = ParseProperty(negated);
                return true;
            default:
                return false;
        }

        _i++;
        return true;
    }

    private SetItem ParseProperty(bool negated)
    {
        if (Peek() != '{')
        {
            throw Error("expected '{' after \\p");
        }

        _i++;
        if (Peek() == '^')
        {
            negated = !negated;
            _i++;
        }

        var name = new StringBuilder();
        while (!AtEnd && Peek() != '}')
        {
            name.Append(char.ConvertFromUtf32(_p[_i++]));
        }

        if (AtEnd)
        {
            throw Error("unterminated \\p{...}");
        }

        _i++;
        if (!UnicodeProperties.TryGet(name.ToString(), out var item))
        {
            throw Error($"Unicode property '{name}' is not supported (general categories such as L, Lu, N, P, S, M, Z, C and Any, ASCII, Space, Word are)");
        }

        return item with { Negated = item.Negated != negated };
    }

    /// <summary>A single-code-point escape: \t \n \r \f \v \a \e \xHH \x{H..} \uHHHH \0, or an escaped symbol.</summary>
    private int ParseCharEscape(bool inClass)
    {
        var c = _p[_i++];
        switch (c)
        {
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'f': return '\f';
            case 'v': return '\v';
            case 'a': return '\a';
            case 'e': return 0x1B;
            case 'b' when inClass: return '\b';
            case '0': return ReadDigits(8, 2, 0);
            case 'x':
                if (Peek() == '{')
                {
                    _i++;
                    var value = ReadDigits(16, 8, -1);
                    if (Peek() != '}' || value < 0 || value > 0x10FFFF)
                    {
                        throw Error("malformed \\x{...}");
                    }

                    _i++;
                    return value;
                }

                return ReadDigits(16, 2, 0);
            case 'u':
            {
                var value = ReadDigits(16, 4, -1);
                return value >= 0 ? value : throw Error("malformed \\u");
            }

            default:
                if (c < 0x80 && char.IsAsciiLetterOrDigit((char)c))
                {
                    throw Error($"'\\{(char)c}' is not supported");
                }

                return c; // an escaped symbol stands for itself
        }
    }

    private int ReadDigits(int radix, int maxDigits, int empty)
    {
        var value = 0;
        var count = 0;
        while (count < maxDigits && !AtEnd && Peek() < 0x80
               && int.TryParse(((char)Peek()).ToString(), radix == 16 ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var digit)
               && digit < radix)
        {
            value = (value * radix) + digit;
            _i++;
            count++;
        }

        return count == 0 ? empty : value;
    }

    private CodePointSet ParseClass(bool ignoreCase)
    {
        var negated = false;
        if (Peek() == '^')
        {
            negated = true;
            _i++;
        }

        var items = new List<SetItem>();
        var nested = new List<CodePointSet>();
        CodePointSet? intersect = null;
        var first = true;
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated character class");
            }

            var c = Peek();
            if (c == ']' && !first)
            {
                _i++;
                break;
            }

            first = false;
            if (c == '&' && Peek(1) == '&')
            {
                _i += 2;
                intersect = ParseClass(ignoreCase); // the rest of the body, up to and including the closing ']'
                break;
            }

            if (c == '[')
            {
                if (Peek(1) == ':')
                {
                    throw Error("POSIX bracket expressions are not supported");
                }

                _i++;
                nested.Add(ParseClass(ignoreCase));
                continue;
            }

            int low;
            if (c == '\\')
            {
                _i++;
                if (AtEnd)
                {
                    throw Error("a trailing backslash");
                }

                if (TryParseClassEscape(out var item, inClass: true))
                {
                    items.Add(item);
                    continue;
                }

                low = ParseCharEscape(inClass: true);
            }
            else
            {
                low = c;
                _i++;
            }

            var high = low;
            if (Peek() == '-' && Peek(1) != ']' && Peek(1) != -1)
            {
                _i++;
                if (Peek() == '\\')
                {
                    _i++;
                    if (Peek() is 's' or 'S' or 'd' or 'D' or 'w' or 'W' or 'h' or 'H' or 'p' or 'P')
                    {
                        throw Error("a range ending in a class escape");
                    }

                    high = ParseCharEscape(inClass: true);
                }
                else if (Peek() == '[')
                {
                    throw Error("a range ending in a class");
                }
                else
                {
                    high = _p[_i++];
                }

                if (high < low)
                {
                    throw Error("a reversed range");
                }
            }

            items.Add(new SetItem(SetItemKind.Range, low, high, false));
        }

        return new CodePointSet(items, nested, intersect, negated, ignoreCase);
    }
}
