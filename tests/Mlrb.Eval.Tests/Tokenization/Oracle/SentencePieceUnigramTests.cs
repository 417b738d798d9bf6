using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// A bare T5-style <c>spiece.model</c> (SentencePiece Unigram with the nmt_nfkc charsmap; trained by
/// tests/tools/tokenizer-fixtures/make_fixtures.py) and Llama-2's BPE <c>tokenizer.model</c> (../shared/data) encode
/// thousands of strings exactly as Google's SentencePiece does.
/// </summary>
[TestFixture]
public class SentencePieceUnigramTests
{
    private static string ModelPath => ConstructedTokenizerFilesTests.FixturePath("t5-unigram", "spiece.model");

    [TestCase("t5-unigram")]
    [TestCase("llama-spm")]
    public void ModelFile_EncodesAsSentencePiece(string which)
    {
        var model = which == "llama-spm" ? TestPaths.RequireSharedData("tokenizers/llama-spm/tokenizer.model") : ModelPath;
        // Control-piece texts are special tokens in transformers' T5 tokenizers (so here too); SentencePiece itself spells them out.
        var strings = TokenizerTestStrings.Generate(3000)
            .Where(s => !s.Contains("</s>", StringComparison.Ordinal) && !s.Contains("<pad>", StringComparison.Ordinal) && !s.Contains("<unk>", StringComparison.Ordinal)
                        && !s.Contains("<s>", StringComparison.Ordinal))
            .ToArray();
        var (expected, version) = SentencePieceOracle.Encode(model, strings);
        var ours = TokenizerLoader.LoadSentencePiece(model);
        var failures = new List<string>();
        for (var i = 0; i < strings.Length; i++)
        {
            var ids = ours.Encode(strings[i], addSpecialTokens: false);
            if (!ids.SequenceEqual(expected[i]))
            {
                failures.Add($"{OracleAgreement.Show(strings[i])}: ours [{string.Join(',', ids)}], sentencepiece [{string.Join(',', expected[i])}]");
            }
        }

        TestContext.Out.WriteLine($"{which}: {strings.Length - failures.Count}/{strings.Length} strings agree with sentencepiece {version}");
        Assert.That(failures, Is.Empty, $"{failures.Count} of {strings.Length} differ; first ones:\n" + string.Join("\n", failures.Take(15)));
    }

    [Test]
    public void SpieceModel_HasT5SpecialTokens()
    {
        var tok = TokenizerLoader.LoadSentencePiece(ModelPath);
        var ids = tok.Encode("Hello world", addSpecialTokens: true);
        Assert.Multiple(() =>
        {
            Assert.That(ids[^1], Is.EqualTo(1), "T5 appends </s> (id 1)");
            Assert.That(tok.Encode("Hello world", addSpecialTokens: false), Is.EqualTo(ids.Take(ids.Count - 1)));
            Assert.That(tok.EosTokenId, Is.EqualTo(1));
            Assert.That(tok.BosTokenId, Is.Null, "T5 has no BOS");
            Assert.That(tok.VocabularySize, Is.EqualTo(1100), "1000 pieces + 100 sentinels");
            Assert.That(tok.Encode("<extra_id_0>", addSpecialTokens: false), Is.EqualTo(new[] { 1099 }), "<extra_id_0> is the last id");
            Assert.That(tok.Encode("a</s>b", addSpecialTokens: false), Does.Contain(1), "</s> in the text is the special token");
            Assert.That(tok.Decode(tok.Encode("Hello world café", addSpecialTokens: false)), Is.EqualTo("Hello world café"));
        });
    }

    [Test]
    public void SpieceModel_LoadsFromAFolderWithOnlySpieceModel()
    {
        var dir = TestPaths.CreateTempDirectory("spiece");
        try
        {
            File.Copy(ModelPath, Path.Combine(dir, "spiece.model"));
            var tok = TokenizerLoader.Load(dir);
            Assert.That(tok.Encode("Hello", addSpecialTokens: false), Is.EqualTo(TokenizerLoader.LoadSentencePiece(ModelPath).Encode("Hello", addSpecialTokens: false)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void SpieceModel_WithAnotherTokenizerClass_IsAClearError()
    {
        var dir = TestPaths.CreateTempDirectory("spiece");
        try
        {
            File.Copy(ModelPath, Path.Combine(dir, "spiece.model"));
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"tokenizer_class": "AlbertTokenizer"}""");
            Assert.That(() => TokenizerLoader.Load(dir), Throws.TypeOf<TokenizerLoadException>().With.Message.Contains("AlbertTokenizer"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
