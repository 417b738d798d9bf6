using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>The 46 GPT-2 cases of llama.cpp's vocab tests, on OpenAI's real GPT-2 vocabulary (../shared/data).</summary>
public class Gpt2TestVectorTests
{
    private static ITokenizer LoadGpt2()
    {
        var encoder = TestPaths.RequireSharedData("tokenizers/gpt2/encoder.json");
        var merges = TestPaths.RequireSharedData("tokenizers/gpt2/vocab.bpe");
        return TokenizerLoader.LoadVocabAndMerges(encoder, merges);
    }

    [Test]
    public void AllTestVectors_GiveTheExpectedIds()
    {
        var tokenizer = LoadGpt2();
        var cases = TestVectors.Read(
            TestPaths.RequireSharedData("tokenizers/gpt2/test-vectors.inp"),
            TestPaths.RequireSharedData("tokenizers/gpt2/test-vectors.out"));
        Assert.That(cases, Has.Count.EqualTo(46));
        var failures = cases
            .Where(c => !tokenizer.Encode(c.Text, addSpecialTokens: true).SequenceEqual(c.Ids))
            .Select(c => $"{c.Text.Replace("\n", "\\n", StringComparison.Ordinal)} -> [{string.Join(' ', tokenizer.Encode(c.Text))}], expected [{string.Join(' ', c.Ids)}]")
            .ToList();
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void AllTestVectors_DecodeBackToTheirText()
    {
        var tokenizer = LoadGpt2();
        var cases = TestVectors.Read(
            TestPaths.RequireSharedData("tokenizers/gpt2/test-vectors.inp"),
            TestPaths.RequireSharedData("tokenizers/gpt2/test-vectors.out"));
        foreach (var (text, ids) in cases)
        {
            Assert.That(tokenizer.Decode(ids), Is.EqualTo(text));
        }
    }

    [TestCase("Hello world", new[] { 15496, 995 })]
    [TestCase(" Hello world", new[] { 18435, 995 })]
    [TestCase("hello\n\nhello", new[] { 31373, 198, 198, 31373 })]
    [TestCase(" no", new[] { 645 })]
    [TestCase(" yes", new[] { 3763 })]
    [TestCase(".\n   -", new[] { 13, 198, 220, 220, 532 })]
    public void KnownIdsFromTheHarnessSpec(string text, int[] expected)
    {
        var ids = LoadGpt2().Encode(text);
        Assert.That(ids.Take(expected.Length), Is.EqualTo(expected));
        Assert.That(ids, Has.Count.EqualTo(expected.Length));
    }

    [Test]
    public void EndOfText_IsBosEosAndMatchedInText()
    {
        var tokenizer = LoadGpt2();
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.BosTokenId, Is.EqualTo(50256));
            Assert.That(tokenizer.EosTokenId, Is.EqualTo(50256));
            Assert.That(tokenizer.VocabularySize, Is.EqualTo(50257));
            Assert.That(tokenizer.Encode("a<|endoftext|>b"), Is.EqualTo(new[] { 64, 50256, 65 }));
            Assert.That(tokenizer.Decode([64, 50256, 65], skipSpecialTokens: true), Is.EqualTo("ab"));
        });
    }
}
