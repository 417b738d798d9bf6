using Mlrb.Eval.Tokenization.Patterns;

namespace Mlrb.Eval.Tests.Tokenization.Patterns;

/// <summary>
/// The code-point regex engine splits as Oniguruma does inside Hugging Face's tokenizers. Every expected split below was
/// produced by tokenizers 0.23.2 (Split pre-tokenizer, Isolated) through tests/tools/tokenizer-oracle, not by this engine.
/// </summary>
public class CodePointRegexTests
{
    private const string O200k = @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string DeepSeek = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";

    /// <summary>Isolated split: matches and the gaps between them, empty pieces dropped.</summary>
    private static string[] Split(string pattern, string text)
    {
        var matches = new List<(int Start, int Length)>();
        CodePointRegex.Create(pattern).FindMatches(text, matches);
        var pieces = new List<string>();
        var previous = 0;
        foreach (var (start, length) in matches)
        {
            pieces.Add(text[previous..start]);
            pieces.Add(text.Substring(start, length));
            previous = start + length;
        }

        pieces.Add(text[previous..]);
        return pieces.Where(p => p.Length > 0).ToArray();
    }

    [TestCase("𝐀's", new[] { "𝐀's" })] // .NET Regex on UTF-16 gave 𝐀 | ' | s
    [TestCase("HelloWorld's", new[] { "Hello", "World's" })]
    [TestCase("ABCdef", new[] { "ABCdef" })]
    [TestCase("𝐀𝐁𝐂def", new[] { "𝐀𝐁𝐂def" })]
    [TestCase("x😀😀y", new[] { "x", "😀😀", "y" })]
    [TestCase("don'T", new[] { "don'T" })]
    [TestCase("a/b\n/c", new[] { "a", "/b", "\n", "/c" })]
    [TestCase("  \n\n x", new[] { "  \n\n", " x" })]
    [TestCase("𝟙𝟚𝟛𝟜", new[] { "𝟙𝟚𝟛", "𝟜" })]
    [TestCase("Ωμέγα'LL", new[] { "Ωμέγα'LL" })]
    public void O200kPattern(string text, string[] expected) => Assert.That(Split(O200k, text), Is.EqualTo(expected));

    [TestCase("𝐀bc", new[] { "𝐀bc" })] // the astral letter used to be cut in half and lost
    [TestCase(".Hello", new[] { ".Hello" })]
    [TestCase("😀abc", new[] { "😀", "abc" })]
    [TestCase("a  b", new[] { "a", " ", " b" })]
    [TestCase("x!!\n\ny", new[] { "x", "!!\n\n", "y" })]
    [TestCase("e\u0301t\u00e9", new[] { "e\u0301t\u00e9" })]
    public void DeepSeekPattern(string text, string[] expected) => Assert.That(Split(DeepSeek, text), Is.EqualTo(expected));

    [TestCase(@"a+?b|\d{2,3}?x|c*?", "aaab", new[] { "aaab" })]
    [TestCase(@"a+?b|\d{2,3}?x|c*?", "123x", new[] { "123x" })]
    [TestCase(@"a+?b|\d{2,3}?x|c*?", "cc", new[] { "c", "c" })]
    [TestCase(@"\p{L}++|\s*+\n|[0-9]?+1", "ab1cd", new[] { "ab", "1", "cd" })]
    [TestCase(@"\p{L}++|\s*+\n|[0-9]?+1", "  \n", new[] { "  \n" })]
    [TestCase(@"\p{L}++|\s*+\n|[0-9]?+1", "11", new[] { "11" })]
    [TestCase(@"(?>a+)b|a(?=b)|x(?!y)", "aab", new[] { "aab" })]
    [TestCase(@"(?>a+)b|a(?=b)|x(?!y)", "xz", new[] { "x", "z" })]
    [TestCase(@"(?>a+)b|a(?=b)|x(?!y)", "xy", new[] { "xy" })]
    [TestCase(@"[^\s\p{L}]+|[a-c[x-z]]+|[\w&&[^\d]]+|\h+", "a1-b", new[] { "a", "1-", "b" })]
    [TestCase(@"[^\s\p{L}]+|[a-c[x-z]]+|[\w&&[^\d]]+|\h+", "foo_bar9", new[] { "foo_bar", "9" })]
    [TestCase(@"[^\s\p{L}]+|[a-c[x-z]]+|[\w&&[^\d]]+|\h+", "ff00", new[] { "ff", "00" })]
    [TestCase(@"[^\s\p{L}]+|[a-c[x-z]]+|[\w&&[^\d]]+|\h+", "ＡＢ", new[] { "ＡＢ" })]
    [TestCase(@"^\w+|\w+$|\bx\B", "hello world", new[] { "hello", " ", "world" })]
    [TestCase(@"^\w+|\w+$|\bx\B", "a\nb c", new[] { "a", "\n", "b", " ", "c" })]
    [TestCase(@"^\w+|\w+$|\bx\B", "xyz x", new[] { "xyz", " ", "x" })]
    [TestCase("x*", "abc", new[] { "a", "b", "c" })]
    [TestCase("x*", "xxaxx", new[] { "xx", "a", "xx" })]
    [TestCase(@"(?i:k)|(?i)s+", "Kelvin \u212A", new[] { "K", "elvin ", "\u212A" })]
    [TestCase(@"(?i:k)|(?i)s+", "sS\u017F", new[] { "sS\u017F" })]
    [TestCase(@"\p{N}{2}|a{2,}|b{,2}c|d{1,2}+", "12345", new[] { "12", "34", "5" })]
    [TestCase(@"\p{N}{2}|a{2,}|b{,2}c|d{1,2}+", "bbbc", new[] { "b", "bbc" })]
    [TestCase(@"\p{N}{2}|a{2,}|b{,2}c|d{1,2}+", "dddd", new[] { "dddd" })]
    public void Constructs(string pattern, string text, string[] expected) => Assert.That(Split(pattern, text), Is.EqualTo(expected));

    [Test]
    public void EmptyMatches_AreReportedAndNeverRightAfterAMatch()
    {
        var matches = new List<(int Start, int Length)>();
        CodePointRegex.Create("x*").FindMatches("xxa", matches);
        Assert.That(matches, Is.EqualTo(new[] { (0, 2), (3, 0) }));
    }

    [Test]
    public void Replace_ReplacesEveryMatchLiterally()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CodePointRegex.Create(" {2,}").Replace("a  b   c d", "▁"), Is.EqualTo("a▁b▁c d"));
            Assert.That(CodePointRegex.Create(@"\p{L}").Replace("𝐀1b", "$0"), Is.EqualTo("$01$0"));
        });
    }

    [TestCase(@"(a)\1", "back-references")]
    [TestCase(@"(?<=a)b", "look-behind")]
    [TestCase(@"\p{Han}+", "Unicode property 'Han'")]
    [TestCase(@"(?i:aßb)", "folds to several characters")]
    [TestCase(@"(?i:fi)", "ligature")]
    [TestCase(@"(?:a*)*", "empty string")]
    [TestCase(@"[a-", "unterminated")]
    [TestCase(@"(a", "missing ')'")]
    [TestCase(@"a)", "unmatched ')'")]
    [TestCase(@"[[:alpha:]]", "POSIX")]
    public void Unsupported_IsAClearError(string pattern, string fragment)
        => Assert.That(() => CodePointRegex.Create(pattern), Throws.ArgumentException.With.Message.Contains(fragment));

    [Test]
    public void SurrogatePairs_AreNeverSplit()
    {
        // Every match boundary falls between code points, for a pattern that matches single UTF-16-sized units in .NET.
        var text = "a𝐀😀𠮷b";
        var matches = new List<(int Start, int Length)>();
        CodePointRegex.Create(".").FindMatches(text, matches);
        Assert.That(matches.Select(m => text.Substring(m.Start, m.Length)), Is.EqualTo(new[] { "a", "𝐀", "😀", "𠮷", "b" }));
    }
}
