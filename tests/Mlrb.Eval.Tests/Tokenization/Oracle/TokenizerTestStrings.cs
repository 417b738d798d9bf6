using System.Text;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// Deterministic test strings for differential tokenizer tests: hand-picked edge cases, then random mixes of words,
/// numbers, whitespace runs, punctuation, many scripts, combining marks, astral characters (emoji, ZWJ sequences,
/// mathematical letters and digits, CJK extension B) and special-token texts. Only characters assigned by Unicode 13
/// are used, so the reference's and .NET's Unicode tables agree.
/// </summary>
internal static class TokenizerTestStrings
{
    /// <summary>Edge cases every family must get right.</summary>
    public static readonly string[] EdgeCases =
    [
        "", " ", "  ", "\n", "\n\n\n", "\t", "\r\n", "a", "Hello world", " Hello world", "Hello  world", "Hello   world ",
        "   leading", "trailing   ", "a \n\n b", "x!!\n\ny", "I'm here", "I'M HERE", "they'll've", "don’t", "𝐀's", "𝐀'S", "𝐀bc",
        "a𝐀b", "x😀😀y", "😀abc", "𝟙𝟚𝟛 and ²³", "12345", "1234567890123", "1,234.56", "٣٤٥", "１２３", "Ⅻ", "café", "cafe\u0301",
        "naïve Ångström", "ﬁnance", "Ａｂｃ", "straße", "İstanbul", "ǅemal", "Καλημέρα κόσμε", "Привет, мир!", "مرحبا بالعالم",
        "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "안녕하세요 세계", "こんにちは世界", "你好，世界。", "𠮷野家で𠀋を食べる",
        "👨‍👩‍👧 family", "👍🏽 ok", "🇫🇷🇩🇪", "𓀀𓀁 hieroglyphs", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "<s>Hello</s>", "<|endoftext|>x<|endoftext|>",
        "<unk>", "[CLS] a [SEP]", "def f(x):\n    return x ** 2\n", "if (a && b) { c++; }", "http://example.com/a?b=1&c=2",
        "snake_case_name camelCaseName", "\u00A0nbsp\u00A0", "ideographic\u3000space", "zero\u200Bwidth", "ctrl\u0007bell\u001b",
        "replacement \uFFFD char", "a\u0308\u0301", "\u0301leading mark", "tab\tseparated\tvalues", "UPPER lower Title MiXeD",
        "...!!!???", "—–-", "«quoted» “curly” ‘single’", "「日本語」、句読点。", "$100 €50 ¥1000 £20", "e=mc² ∑∫√∞",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "                                        x",
    ];

    private static readonly string[] Fragments =
    [
        "the", "The", "THE", "and", "of", "tokenizer", "Tokenization", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
        "supercalifragilistic", "antidisestablishmentarianism", "I'm", "you're", "we've", "she'll", "he'd", "it's", "IT'S",
        "don't", "DON'T", "it’s", "o'clock", "rock'n'roll", "0", "7", "42", "123", "2024", "3.14159", "1,000,000", "99%",
        "٣٤٥", "１２３", "²", "³", "½", "Ⅻ", "𝟙𝟚", "𝟘", ".", ",", "!", "?", ";", ":", "(", ")", "[", "]", "{", "}", "<", ">", "\"",
        "'", "`", "~", "@", "#", "$", "%", "^", "&", "*", "-", "_", "=", "+", "/", "\\", "|", "…", "—", "«", "»", "“", "”",
        "「", "」", "、", "。", "！", "？", "café", "naïve", "Ångström", "e\u0301", "a\u0308", "ﬁ", "ﬂ", "Ａｂｃ", "ß", "İ", "ı",
        "ǅ", "Ωμέγα", "Καλημέρα", "Привет", "мир", "Ёлка", "مرحبا", "بالعالم", "שלום", "नमस्ते", "हिन्दी", "สวัสดี", "안녕하세요",
        "한국어", "こんにちは", "カタカナ", "ひらがな", "你好", "世界", "汉字", "龍", "𠀋", "𠮷", "𪚥", "😀", "😂", "🎉", "🤖", "🥰",
        "👍🏽", "👨‍👩‍👧", "🇯🇵", "❤️", "☃", "★", "𝐀", "𝐁𝐂", "𝒳", "𝔘𝔫𝔦", "𓀀", "𐍈", "𝄞", "<s>", "</s>", "<unk>",
        "<|endoftext|>", "[CLS]", "[SEP]", "[MASK]", "\u00A0", "\u3000", "\u2009", "\u200B", "\u200D", "\uFEFF", "\u0007",
        "\uFFFD", "▁", "Ġ", "##ing", "http://x.org", "foo_bar", "fooBar", "x**2", "a&&b", "->", "=>", "::", "//", "/*", "*/",
        "¿Qué?", "¡Hola!", "Đ", "ŀ", "ĳ", "ﬀ", "™", "©", "°C", "µ", "Å", "K", "ſ", "ﬆ",
    ];

    private static readonly string[] Separators = ["", "", " ", " ", " ", "  ", "   ", "\n", "\n\n", "\t", "\r\n", " \n", "\n ", "\u00A0", "\u3000"];

    /// <summary>The edge cases followed by <paramref name="randomCount"/> random strings from a fixed seed.</summary>
    /// <param name="randomCount">How many random strings.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The strings.</returns>
    public static string[] Generate(int randomCount, ulong seed = 0x5EED_1234_ABCDUL)
    {
        var state = seed;
        int Next(int bound)
        {
            // xorshift64*: the same sequence on every platform and runtime.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            return (int)(((state * 0x2545F4914F6CDD1DUL) >> 33) % (ulong)bound);
        }

        var result = new List<string>(EdgeCases);
        var sb = new StringBuilder();
        for (var n = 0; n < randomCount; n++)
        {
            sb.Clear();
            var parts = 1 + Next(12);
            for (var k = 0; k < parts; k++)
            {
                if (k > 0)
                {
                    sb.Append(Separators[Next(Separators.Length)]);
                }

                var fragment = Fragments[Next(Fragments.Length)];
                switch (Next(10))
                {
                    case 0:
                        fragment = fragment.ToUpperInvariant();
                        break;
                    case 1:
                        fragment += Fragments[Next(Fragments.Length)];
                        break;
                    case 2:
                        fragment = string.Concat(Enumerable.Repeat(fragment, 1 + Next(4)));
                        break;
                }

                sb.Append(fragment);
            }

            if (Next(8) == 0)
            {
                sb.Insert(0, Separators[Next(Separators.Length)]);
            }

            if (Next(8) == 0)
            {
                sb.Append(Separators[Next(Separators.Length)]);
            }

            result.Add(sb.ToString());
        }

        return [.. result];
    }
}
