namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>Llama-2-style BPE with byte fallback on the hand-written <see cref="Fixtures.SentencePiece"/> (ids worked out by hand).</summary>
public class SentencePieceBpeTests
{
    private static readonly Lazy<Mlrb.Eval.Tokenization.ITokenizer> Tokenizer = new(() => Fixtures.Load(Fixtures.SentencePiece));

    [TestCase("hi hi", new[] { 1, 11, 11 })] // "▁hi▁hi": ▁h twice (rank 0), then ▁hi twice (rank 1)
    [TestCase("thi", new[] { 1, 13, 14 })] // "▁thi": "▁ t" (rank 2) then "h i" (rank 3)
    [TestCase("hi€", new[] { 1, 11, 3, 4, 5 })] // € is not in the vocabulary: <0xE2><0x82><0xAC>
    [TestCase("hizz", new[] { 1, 11, 0 })] // z has no byte token: one fused <unk> for "zz"
    [TestCase("hiz z", new[] { 1, 11, 0, 7, 0 })] // unknowns fuse only when adjacent
    [TestCase("\n", new[] { 1, 7, 6 })] // "▁\n": \n by byte fallback
    [TestCase("<s>hi", new[] { 1, 1, 11 })] // a literal <s> is matched; the legacy normalizer prefixes "hi" too
    [TestCase("", new[] { 1 })] // Prepend skips empty segments
    public void Encode_GivesHandComputedIds(string text, int[] expected)
        => Assert.That(Tokenizer.Value.Encode(text), Is.EqualTo(expected));

    [Test]
    public void Encode_WithoutSpecialTokens_HasNoBos()
        => Assert.That(Tokenizer.Value.Encode("hi hi", addSpecialTokens: false), Is.EqualTo(new[] { 11, 11 }));

    [Test]
    public void Decode_UndoesTheNormalizerAndByteFallback()
    {
        var tokenizer = Tokenizer.Value;
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Decode([11, 11]), Is.EqualTo("hi hi"));
            Assert.That(tokenizer.Decode([11, 3, 4, 5]), Is.EqualTo("hi€"));
            Assert.That(tokenizer.Decode([1, 11], skipSpecialTokens: true), Is.EqualTo("hi"));
            Assert.That(tokenizer.Decode([1, 11]), Is.EqualTo("<s> hi"));
            Assert.That(tokenizer.Decode([3, 4]), Is.EqualTo("\uFFFD\uFFFD"), "one U+FFFD per invalid byte");
        });
    }

    [Test]
    public void SpecialTokens_DefaultToSAndEndS()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Tokenizer.Value.BosTokenId, Is.EqualTo(1));
            Assert.That(Tokenizer.Value.EosTokenId, Is.EqualTo(2));
        });
    }

    [Test]
    public void LlamaConfig_RebuildsTheTemplateFromAddBosAndAddEos()
    {
        const string config = """{"tokenizer_class": "LlamaTokenizer", "add_bos_token": false, "add_eos_token": true, "bos_token": {"content": "<s>", "__type": "AddedToken"}, "eos_token": "</s>"}""";
        Assert.That(Fixtures.Load(Fixtures.SentencePiece, config).Encode("hi"), Is.EqualTo(new[] { 11, 2 }));
    }

    [Test]
    public void LlamaConfig_DefaultsToBosOnly_EvenWhenTheFileHasNoTemplate()
    {
        var json = Fixtures.With(Fixtures.SentencePiece, "\"post_processor\": {", "\"post_processor\": null, \"unused\": {");
        Assert.Multiple(() =>
        {
            Assert.That(Fixtures.Load(json).Encode("hi"), Is.EqualTo(new[] { 11 }));
            Assert.That(Fixtures.Load(json, """{"tokenizer_class": "LlamaTokenizerFast"}""").Encode("hi"), Is.EqualTo(new[] { 1, 11 }));
        });
    }

    [Test]
    public void NonLegacyMetaspace_PrefixesOnlyAtTheStartOfTheInput()
    {
        var json = Fixtures.With(
            Fixtures.SentencePiece,
            """
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Prepend", "prepend": "▁"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}
              ]},
              "pre_tokenizer": null,
            """,
            """
            "normalizer": null,
              "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false},
            """);
        var tokenizer = Fixtures.Load(json);
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Encode("hi"), Is.EqualTo(new[] { 1, 11 }));
            Assert.That(tokenizer.Encode("<s>hi"), Is.EqualTo(new[] { 1, 1, 14 }), "after a special token: no ▁, so h+i -> 'hi'");
        });
    }
}
