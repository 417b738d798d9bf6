using System.Text;
using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>Folder loading order, config files, and the errors for bad or unsupported input.</summary>
public class TokenizerLoaderTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-tok");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_dir, name), content, new UTF8Encoding(false));

    private static TokenizerLoadException LoadError(string json)
        => Assert.Throws<TokenizerLoadException>(() => Fixtures.Load(json))!;

    [Test]
    public void Load_PrefersTokenizerJson_AndAppliesTokenizerConfig()
    {
        Write("tokenizer.json", Fixtures.SentencePiece);
        Write("tokenizer_config.json", """{"tokenizer_class": "LlamaTokenizerFast", "add_bos_token": true, "add_eos_token": true, "bos_token": "<s>", "eos_token": "</s>", "model_max_length": 4096}""");
        Write("vocab.json", "{ this would fail if read }");
        Write("merges.txt", "x y");
        var tokenizer = TokenizerLoader.Load(_dir);
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Encode("hi"), Is.EqualTo(new[] { 1, 11, 2 }));
            Assert.That(tokenizer.ModelMaxLength, Is.EqualTo(4096));
        });
    }

    [Test]
    public void Load_SpecialTokensMap_OverridesTheConfigTokens()
    {
        Write("tokenizer.json", Fixtures.ByteLevel);
        Write("tokenizer_config.json", """{"bos_token": "a", "eos_token": "b"}""");
        Write("special_tokens_map.json", """{"bos_token": {"content": "<|endoftext|>", "lstrip": false}}""");
        var tokenizer = TokenizerLoader.Load(_dir);
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.BosTokenId, Is.EqualTo(20));
            Assert.That(tokenizer.EosTokenId, Is.EqualTo(16));
        });
    }

    [Test]
    public void Load_VocabAndMerges_IsGpt2ByteLevel()
    {
        // The byte-level fixture's vocabulary and merges as vocab.json + merges.txt.
        Write("vocab.json", """{"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11, "Ġw": 12, "or": 13, "Ġwor": 14, "<|endoftext|>": 15}""");
        Write("merges.txt", "#version: 0.2\nh e\nl l\nhe ll\nhell o\nĠ w\no r\nĠw or\n");
        var tokenizer = TokenizerLoader.Load(_dir);
        Assert.Multiple(() =>
        {
            Assert.That(tokenizer.Encode("hello world"), Is.EqualTo(new[] { 11, 14, 2, 7 }));
            Assert.That(tokenizer.Encode("hello<|endoftext|>"), Is.EqualTo(new[] { 11, 15 }));
            Assert.That(tokenizer.BosTokenId, Is.EqualTo(15));
            Assert.That(tokenizer.Decode([11, 14, 2, 7]), Is.EqualTo("hello world"));
        });
    }

    [Test]
    public void Load_MergesWithAnUnknownToken_NamesTheLine()
    {
        Write("vocab.json", """{"a": 0, "b": 1}""");
        Write("merges.txt", "#version: 0.2\na b\n");
        var ex = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(_dir))!;
        Assert.That(ex.Message, Does.Contain("merges.txt").And.Contain("line 2").And.Contain("'ab'"));
    }

    [Test]
    public void LoadTokenizerJson_FromAPath_AppliesTheConfigBesideIt()
    {
        Write("my-tokenizer.json", Fixtures.SentencePiece);
        Write("tokenizer_config.json", """{"tokenizer_class": "LlamaTokenizer", "add_bos_token": false}""");
        Assert.That(TokenizerLoader.LoadTokenizerJson(Path.Combine(_dir, "my-tokenizer.json")).Encode("hi"), Is.EqualTo(new[] { 11 }));
    }

    [Test]
    public void ExplicitLoaders_ReportMissingFiles()
    {
        var missing = Path.Combine(_dir, "missing");
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.LoadTokenizerJson(missing))!.File, Is.EqualTo(missing));
            Assert.That(Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.LoadSentencePiece(missing))!.File, Is.EqualTo(missing));
            Assert.That(Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.LoadVocabAndMerges(missing, missing))!.File, Is.EqualTo(missing));
        });
    }

    [Test]
    public void Load_EmptyFolder_SaysWhatItLookedFor()
    {
        var ex = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(_dir))!;
        Assert.That(ex.Message, Does.Contain("tokenizer.json").And.Contain("tokenizer.model"));
    }

    [Test]
    public void Load_MissingFolder_Fails()
        => Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(Path.Combine(_dir, "nope")));

    [Test]
    public void Load_TruncatedSentencePieceModel_IsAClearError()
    {
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.model"), [0x0A, 0x20, 0x0A]);
        var ex = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(_dir))!;
        Assert.That(ex.Message, Does.Contain("tokenizer.model").And.Contain("SentencePiece"));
    }

    [Test]
    public void Load_WordSentencePieceModel_IsUnsupported()
    {
        // ModelProto { pieces { piece: "a" score: 0 } trainer_spec { model_type: WORD } }
        File.WriteAllBytes(Path.Combine(_dir, "tokenizer.model"), [0x0A, 0x03, 0x0A, 0x01, (byte)'a', 0x12, 0x02, 0x18, 0x03]);
        var ex = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(_dir))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Field, Is.EqualTo("trainer_spec.model_type"));
            Assert.That(ex.Message, Does.Contain("Word").And.Contain("BPE and Unigram"));
        });
    }

    [Test]
    public void UnsupportedModelType_NamesModelType()
    {
        var ex = LoadError(Fixtures.With(Fixtures.ByteLevel, "\"type\": \"BPE\"", "\"type\": \"Mystery\""));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Field, Is.EqualTo("model.type"));
            Assert.That(ex.Message, Does.Contain("tokenizer.json").And.Contain("Mystery").And.Contain("Unigram, WordPiece"));
        });
    }

    [Test]
    public void MalformedJson_GivesTheLine()
    {
        var ex = LoadError("{\n  \"model\": {\n    \"type\": \"BPE\",,\n");
        Assert.That(ex.Message, Does.Contain("malformed JSON at line 3"));
    }

    [Test]
    public void MissingVocab_NamesTheField()
    {
        var ex = LoadError("""{"model": {"type": "BPE", "merges": []}}""");
        Assert.That(ex.Field, Is.EqualTo("model.vocab"));
    }

    [Test]
    public void MissingModel_NamesTheField()
        => Assert.That(LoadError("""{"added_tokens": []}""").Field, Is.EqualTo("model"));

    [Test]
    public void MergeOfUnknownToken_NamesTheMerge()
    {
        var ex = LoadError(Fixtures.With(Fixtures.ByteLevel, "\"h e\", \"l l\"", "\"h e\", \"l q\""));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Field, Is.EqualTo("model.merges[1]"));
            Assert.That(ex.Message, Does.Contain("'q'"));
        });
    }

    [Test]
    public void UnsupportedPreTokenizer_NamesIt()
    {
        var ex = LoadError(Fixtures.With(Fixtures.ByteLevel, "\"pre_tokenizer\": {\"type\": \"ByteLevel\"", "\"pre_tokenizer\": {\"type\": \"UnicodeScripts\""));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Field, Is.EqualTo("pre_tokenizer.type"));
            Assert.That(ex.Message, Does.Contain("UnicodeScripts"));
        });
    }

    [Test]
    public void UnsupportedNormalizerInsideASequence_GivesItsPath()
    {
        var ex = LoadError(Fixtures.With(Fixtures.SentencePiece, "{\"type\": \"Prepend\", \"prepend\": \"▁\"}", "{\"type\": \"ByteLevel\"}"));
        Assert.That(ex.Field, Is.EqualTo("normalizer.normalizers[0].type"));
    }

    [Test]
    public void WrongFieldType_IsReported()
    {
        var ex = LoadError(Fixtures.With(Fixtures.SentencePiece, "\"fuse_unk\": true", "\"fuse_unk\": \"yes\""));
        Assert.That(ex.Field, Is.EqualTo("model.fuse_unk"));
    }

    [Test]
    public void BadConfig_NamesTheConfigFile()
    {
        var ex = Assert.Throws<TokenizerLoadException>(() => Fixtures.Load(Fixtures.ByteLevel, """{"bos_token": 5}"""))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.File, Is.EqualTo("tokenizer_config.json"));
            Assert.That(ex.Field, Is.EqualTo("bos_token"));
        });
    }

    [Test]
    public void AddBosWithoutABosToken_IsAClearError()
    {
        var json = Fixtures.Tiktoken(Mlrb.Eval.Tokenization.Components.TiktokenPatternMatcher.Llama3Pattern, ignoreMerges: true);
        var ex = Assert.Throws<TokenizerLoadException>(() => Fixtures.Load(json, """{"add_bos_token": true, "bos_token": "<nope>"}"""))!;
        Assert.That(ex.Message, Does.Contain("<nope>"));
    }
}
