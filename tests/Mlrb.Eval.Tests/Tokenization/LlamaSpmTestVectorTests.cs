using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>The 46 Llama-2 cases of llama.cpp's vocab tests, on the real Llama-2 SentencePiece model (../shared/data).</summary>
public class LlamaSpmTestVectorTests
{
    private static ITokenizer LoadLlama() => TokenizerLoader.LoadSentencePiece(TestPaths.RequireSharedData("tokenizers/llama-spm/tokenizer.model"));

    private static IReadOnlyList<(string Text, int[] Ids)> Cases() => TestVectors.Read(
        TestPaths.RequireSharedData("tokenizers/llama-spm/test-vectors.inp"),
        TestPaths.RequireSharedData("tokenizers/llama-spm/test-vectors.out"));

    [Test]
    public void AllTestVectors_GiveTheExpectedIds_WithoutBos()
    {
        var tokenizer = LoadLlama();
        var cases = Cases();
        Assert.That(cases, Has.Count.EqualTo(46));
        var failures = cases
            .Where(c => !tokenizer.Encode(c.Text, addSpecialTokens: false).SequenceEqual(c.Ids))
            .Select(c => $"{c.Text.Replace("\n", "\\n", StringComparison.Ordinal)} -> [{string.Join(' ', tokenizer.Encode(c.Text, false))}], expected [{string.Join(' ', c.Ids)}]")
            .ToList();
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void AddSpecialTokens_PrependsBosOnly()
    {
        var tokenizer = LoadLlama();
        foreach (var (text, ids) in Cases())
        {
            Assert.That(tokenizer.Encode(text), Is.EqualTo(new[] { 1 }.Concat(ids)));
        }
    }

    [Test]
    public void AllTestVectors_DecodeBackToTheirText()
    {
        var tokenizer = LoadLlama();
        foreach (var (text, ids) in Cases())
        {
            // The decoder strips the one leading space the normalizer's "▁" prefix stands for.
            Assert.That(tokenizer.Decode(ids), Is.EqualTo(text));
        }
    }

    [Test]
    public void SpecialTokens_ComeFromTheTrainerSpec()
    {
        var tokenizer = LoadLlama();
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.BosTokenId, Is.EqualTo(1));
            Assert.That(tokenizer.BosToken, Is.EqualTo("<s>"));
            Assert.That(tokenizer.EosTokenId, Is.EqualTo(2));
            Assert.That(tokenizer.VocabularySize, Is.EqualTo(32000));
        });
    }

    [Test]
    public void LegacyPrefix_IsAddedAfterASpecialToken()
    {
        // transformers' LlamaTokenizerFast docstring (legacy): "Hello <s>." -> [1, 15043, 29871, 1, 869]
        Assert.That(LoadLlama().Encode("Hello <s>."), Is.EqualTo(new[] { 1, 15043, 29871, 1, 869 }));
    }

    [Test]
    public void ByteFallback_DecodesEuroSignAndInvalidBytes()
    {
        var tokenizer = LoadLlama();
        // <0xE2><0x82><0xAC> are ids 3 + byte value.
        Assert.That(tokenizer.Decode([3 + 0xE2, 3 + 0x82, 3 + 0xAC]), Is.EqualTo("€"));
        Assert.That(tokenizer.Decode([3 + 0xE2, 3 + 0x82]), Is.EqualTo("\uFFFD\uFFFD"));
    }
}
