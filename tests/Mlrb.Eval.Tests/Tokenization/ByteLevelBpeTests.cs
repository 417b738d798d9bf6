namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>GPT-2-style byte-level BPE on the hand-written <see cref="Fixtures.ByteLevel"/> (ids worked out by hand).</summary>
public class ByteLevelBpeTests
{
    private static readonly Lazy<Mlrb.Eval.Tokenization.ITokenizer> Tokenizer = new(() => Fixtures.Load(Fixtures.ByteLevel));

    [TestCase("hello world", new[] { 11, 14, 2, 7 })] // "hello" fully merged; "Ġworld" -> Ġw, or, Ġwor + l + d
    [TestCase("abc", new[] { 15, 18 })] // "b c" (rank 7) beats "a b" (rank 8) although it is further right
    [TestCase("é", new[] { 25 })] // UTF-8 C3 A9 -> "Ã©"
    [TestCase("a  b", new[] { 15, 4, 4, 16 })] // pieces "a", " ", " b": the run leaves its last space to the word
    [TestCase("a   ", new[] { 15, 22, 4 })] // a trailing run is one piece; "Ġ Ġ" merges leftmost first
    [TestCase("hello!", new[] { 11 })] // "!" is not in the vocabulary and there is no unk: dropped
    [TestCase("\n", new[] { 21 })]
    [TestCase("", new int[0])]
    [TestCase("a<|endoftext|>b", new[] { 15, 20, 16 })]
    public void Encode_GivesHandComputedIds(string text, int[] expected)
        => Assert.That(Tokenizer.Value.Encode(text), Is.EqualTo(expected));

    [Test]
    public void AddSpecialTokens_AddsNothingForGpt2Layout()
        => Assert.That(Tokenizer.Value.Encode("abc", addSpecialTokens: true), Is.EqualTo(Tokenizer.Value.Encode("abc", addSpecialTokens: false)));

    [Test]
    public void Decode_RoundTripsAndSkipsSpecialTokensOnRequest()
    {
        var tokenizer = Tokenizer.Value;
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Decode([11, 14, 2, 7]), Is.EqualTo("hello world"));
            Assert.That(tokenizer.Decode([25]), Is.EqualTo("é"));
            Assert.That(tokenizer.Decode([15, 20, 16]), Is.EqualTo("a<|endoftext|>b"));
            Assert.That(tokenizer.Decode([15, 20, 16], skipSpecialTokens: true), Is.EqualTo("ab"));
            Assert.That(tokenizer.Decode([23]), Is.EqualTo("\uFFFD"), "half a UTF-8 character decodes lossily");
            Assert.That(tokenizer.Decode([999]), Is.Empty, "unknown ids are dropped");
        });
    }

    [Test]
    public void SpecialTokensAndSizes_FollowTheFile()
    {
        var tokenizer = Tokenizer.Value;
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.BosTokenId, Is.EqualTo(20), "<|endoftext|> is the default BOS/EOS when no config names one");
            Assert.That(tokenizer.EosTokenId, Is.EqualTo(20));
            Assert.That(tokenizer.BosToken, Is.EqualTo("<|endoftext|>"));
            Assert.That(tokenizer.VocabularySize, Is.EqualTo(26));
            Assert.That(tokenizer.ModelMaxLength, Is.Null);
            Assert.That(tokenizer.IdToToken(14), Is.EqualTo("Ġwor"));
            Assert.That(tokenizer.IdToToken(20), Is.EqualTo("<|endoftext|>"));
            Assert.That(tokenizer.IdToToken(-1), Is.Null);
        });
    }

    [Test]
    public void StringAndArrayMerges_GiveTheSameResult()
    {
        var arrays = Fixtures.With(Fixtures.ByteLevel, "\"#version: 0.2\", \"h e\", \"l l\"", "[\"h\", \"e\"], [\"l\", \"l\"]");
        Assert.That(Fixtures.Load(arrays).Encode("hello world"), Is.EqualTo(new[] { 11, 14, 2, 7 }));
    }

    [Test]
    public void AddPrefixSpace_PrependsASpaceToEachSegment()
    {
        var json = Fixtures.With(Fixtures.ByteLevel, "\"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true}", "\"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true}");
        // "w" -> " w" -> Ġw (12); after the added token "b" -> " b" -> Ġ b
        Assert.That(Fixtures.Load(json).Encode("w<|endoftext|>b"), Is.EqualTo(new[] { 12, 20, 4, 16 }));
    }

    [Test]
    public void TokenizerConfig_AddBosToken_PrependsBos()
    {
        const string config = """{"add_bos_token": true, "bos_token": "<|endoftext|>", "model_max_length": 1024}""";
        var tokenizer = Fixtures.Load(Fixtures.ByteLevel, config);
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Encode("abc"), Is.EqualTo(new[] { 20, 15, 18 }));
            Assert.That(tokenizer.Encode("abc", addSpecialTokens: false), Is.EqualTo(new[] { 15, 18 }));
            Assert.That(tokenizer.ModelMaxLength, Is.EqualTo(1024));
        });
    }

    [Test]
    public void ModelMaxLengthSentinel_MeansNoLimit()
    {
        var tokenizer = Fixtures.Load(Fixtures.ByteLevel, """{"model_max_length": 1000000000000000019884624838656}""");
        Assert.That(tokenizer.ModelMaxLength, Is.Null);
    }

    [Test]
    public void ConcurrentEncoding_GivesTheSameIds()
    {
        var tokenizer = Fixtures.Load(Fixtures.ByteLevel);
        var texts = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? "hello world abc" : "a   é hello").ToArray();
        var results = new IReadOnlyList<int>[texts.Length];
        Parallel.For(0, texts.Length, i => results[i] = tokenizer.Encode(texts[i]));
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.That(results[i], Is.EqualTo(i % 2 == 0 ? new[] { 11, 14, 2, 7, 4, 15, 18 } : new[] { 15, 22, 4, 25, 4, 11 }));
        }
    }

    [Test]
    public void NfcNormalizer_ComposesBeforeTokenizing()
    {
        var nfc = Fixtures.Load(Fixtures.With(Fixtures.ByteLevel, "\"normalizer\": null", "\"normalizer\": {\"type\": \"NFC\"}"));
        Assert.Multiple(() =>
        {
            Assert.That(nfc.Encode("e\u0301"), Is.EqualTo(new[] { 25 }), "e + combining acute -> é -> Ã©");
            Assert.That(Tokenizer.Value.Encode("e\u0301"), Is.EqualTo(new[] { 1 }), "without NFC the combining mark's bytes are not in the vocabulary");
        });
    }
}
