using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>The hand-written scanners split as Oniguruma does with the GPT-2, Llama-3 and Qwen2 patterns (cases from the tokenizer fact sheet).</summary>
public class PreTokenizerPatternTests
{
    private static string[] Split(IMatchFinder finder, string text)
    {
        var matches = new List<(int Start, int Length)>();
        finder.FindMatches(text, matches);
        return matches.Select(m => text.Substring(m.Start, m.Length)).ToArray();
    }

    [TestCase("a   b", new[] { "a", "  ", " b" })]
    [TestCase("a   ", new[] { "a", "   " })]
    [TestCase("   a", new[] { "  ", " a" })]
    [TestCase("I'm here", new[] { "I", "'m", " here" })]
    [TestCase("I'M", new[] { "I", "'", "M" })] // GPT-2 contractions are lowercase only
    [TestCase("don’t", new[] { "don", "’", "t" })] // a curly apostrophe is punctuation
    [TestCase("they'll've", new[] { "they", "'ll", "'ve" })]
    [TestCase("12345 x", new[] { "12345", " x" })]
    [TestCase("a\t\nb", new[] { "a", "\t", "\n", "b" })]
    [TestCase("a𝐀b", new[] { "a𝐀b" })] // U+1D400 is a letter (per code point, not per UTF-16 unit)
    [TestCase("x😀😀y", new[] { "x", "😀😀", "y" })]
    [TestCase("𝟙𝟚 ²", new[] { "𝟙𝟚", " ²" })]
    [TestCase("Hello, world!", new[] { "Hello", ",", " world", "!" })]
    public void Gpt2Pattern(string text, string[] expected)
        => Assert.That(Split(Gpt2PatternMatcher.Instance, text), Is.EqualTo(expected));

    [TestCase("12345", new[] { "123", "45" })]
    [TestCase("1,234.56", new[] { "1", ",", "234", ".", "56" })]
    [TestCase("I'M", new[] { "I", "'M" })] // case-insensitive contractions
    [TestCase("😀abc", new[] { "😀abc" })] // one leading non-letter joins the letters
    [TestCase("(hello", new[] { "(hello" })]
    [TestCase("\n\nfoo", new[] { "\n\n", "foo" })]
    [TestCase("a \n\n b", new[] { "a", " \n\n", " b" })]
    [TestCase("a   b", new[] { "a", "  ", " b" })]
    [TestCase("x!!\n\ny", new[] { "x", "!!\n\n", "y" })]
    [TestCase("a𝐀b", new[] { "a𝐀b" })]
    [TestCase("𝟙𝟚", new[] { "𝟙𝟚" })]
    public void Llama3Pattern(string text, string[] expected)
        => Assert.That(Split(TiktokenPatternMatcher.Llama3, text), Is.EqualTo(expected));

    [TestCase("12345", new[] { "1", "2", "3", "4", "5" })]
    [TestCase("ab12", new[] { "ab", "1", "2" })]
    public void Qwen2Pattern(string text, string[] expected)
        => Assert.That(Split(TiktokenPatternMatcher.Qwen2, text), Is.EqualTo(expected));

    [Test]
    public void KnownPatterns_UseTheScanners_OthersTheCodePointEngine()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RegexMatchFinder.Create(Gpt2PatternMatcher.Pattern, isRegex: true), Is.SameAs(Gpt2PatternMatcher.Instance));
            Assert.That(RegexMatchFinder.Create(TiktokenPatternMatcher.Llama3Pattern, isRegex: true), Is.SameAs(TiktokenPatternMatcher.Llama3));
            Assert.That(RegexMatchFinder.Create(TiktokenPatternMatcher.Qwen2Pattern, isRegex: true), Is.SameAs(TiktokenPatternMatcher.Qwen2));
            Assert.That(Split(RegexMatchFinder.Create("a.c", isRegex: false), "abca.c"), Is.EqualTo(new[] { "a.c" }), "a String pattern is literal");
            Assert.That(Split(RegexMatchFinder.Create(@"\p{L}++", isRegex: true), "ab1cd"), Is.EqualTo(new[] { "ab", "cd" }), "possessive quantifiers are rewritten");
        });
    }

    [TestCase("MergedWithPrevious", new[] { "a ", " ", "b" })]
    [TestCase("MergedWithNext", new[] { "a", " ", " b" })]
    [TestCase("Contiguous", new[] { "a", "  ", "b" })]
    [TestCase("Isolated", new[] { "a", " ", " ", "b" })]
    [TestCase("Removed", new[] { "a", "b" })]
    public void SplitBehaviors_OnASpace(string behaviorName, string[] expected)
    {
        var behavior = Enum.Parse<SplitBehavior>(behaviorName);
        var output = new List<Piece>();
        Splitter.Split(Piece.Whole("a  b", atTextStart: true), RegexMatchFinder.Create(" ", isRegex: false), behavior, invert: false, output);
        Assert.That(output.Select(p => p.Span.ToString()), Is.EqualTo(expected));
    }

    [Test]
    public void ByteTable_IsABijectionWithTheDocumentedAnchors()
    {
        var map = ByteLevelTable.ByteToChar;
        Assert.Multiple(() =>
        {
            Assert.That(map.Distinct().Count(), Is.EqualTo(256));
            Assert.That(map[0x20], Is.EqualTo('\u0120'));
            Assert.That(map[0x0A], Is.EqualTo('\u010A'));
            Assert.That(map[0x09], Is.EqualTo('\u0109'));
            Assert.That(map[0x7F], Is.EqualTo('\u0121'));
            Assert.That(map[0xAD], Is.EqualTo('\u0143'));
            Assert.That(map['A'], Is.EqualTo('A'));
            for (var b = 0; b < 256; b++)
            {
                Assert.That(ByteLevelTable.ToByte(map[b]), Is.EqualTo(b));
            }
        });
    }
}
