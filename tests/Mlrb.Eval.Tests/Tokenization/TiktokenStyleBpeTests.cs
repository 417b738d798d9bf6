using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>Llama-3 and Qwen2 layouts on the hand-written <see cref="Fixtures.Tiktoken"/> (ids worked out by hand).</summary>
public class TiktokenStyleBpeTests
{
    [Test]
    public void Llama3_GroupsDigitsByThree_AndAddsBos()
    {
        var tokenizer = Fixtures.Load(Fixtures.Tiktoken(TiktokenPatternMatcher.Llama3Pattern, ignoreMerges: true));
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Encode("12345"), Is.EqualTo(new[] { 30, 6, 7 }));
            Assert.That(tokenizer.Encode("12345", addSpecialTokens: false), Is.EqualTo(new[] { 6, 7 }));
            Assert.That(tokenizer.Encode("<|begin_of_text|>x"), Is.EqualTo(new[] { 30, 30, 8 }));
            Assert.That(tokenizer.Encode(" x", addSpecialTokens: false), Is.EqualTo(new[] { 14 }));
            Assert.That(tokenizer.BosTokenId, Is.Null, "no config and no <|endoftext|>/<s>: no BOS is guessed");
        });
    }

    [Test]
    public void Qwen2_SplitsDigitsOneByOne()
    {
        var tokenizer = Fixtures.Load(Fixtures.Tiktoken(TiktokenPatternMatcher.Qwen2Pattern, ignoreMerges: false));
        Assert.That(tokenizer.Encode("12345", addSpecialTokens: false), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void IgnoreMerges_EmitsAWholeVocabularyPieceDirectly()
    {
        var with = Fixtures.Load(Fixtures.Tiktoken(TiktokenPatternMatcher.Llama3Pattern, ignoreMerges: true));
        var without = Fixtures.Load(Fixtures.Tiktoken(TiktokenPatternMatcher.Llama3Pattern, ignoreMerges: false));
        Assert.Multiple(() =>
        {
            Assert.That(with.Encode("xyz", addSpecialTokens: false), Is.EqualTo(new[] { 12 }));
            Assert.That(without.Encode("xyz", addSpecialTokens: false), Is.EqualTo(new[] { 11, 10 }), "merges alone only reach xy + z");
        });
    }

    [Test]
    public void Decode_RoundTrips()
    {
        var tokenizer = Fixtures.Load(Fixtures.Tiktoken(TiktokenPatternMatcher.Llama3Pattern, ignoreMerges: true));
        Assert.That(tokenizer.Decode([30, 6, 7, 14]), Is.EqualTo("<|begin_of_text|>12345 x"));
        Assert.That(tokenizer.Decode([30, 6], skipSpecialTokens: true), Is.EqualTo("123"));
    }
}
