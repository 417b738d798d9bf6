using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// The committed, constructed fixtures (tests/tools/tokenizer-fixtures/make_fixtures.py: a T5-layout Unigram with a
/// SentencePiece nmt_nfkc charsmap, a BERT-layout WordPiece) and variants of their components encode thousands of strings
/// exactly as Hugging Face's Rust tokenizers library does.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ConstructedTokenizerFilesTests
{
    private static readonly string[] Strings = TokenizerTestStrings.Generate(3000);

    /// <summary>(variant, fixture, edit applied to the tokenizer.json).</summary>
    public static readonly object[] Variants =
    [
        new object[] { "T5 Unigram as T5Converter writes it (Precompiled, Replace, Metaspace)", "t5-unigram", "" },
        new object[] { "T5 Unigram, newer converter (Strip right, Replace to ▁, Metaspace always/split)", "t5-unigram", "newer-t5" },
        new object[] { "T5 Unigram, WhitespaceSplit + Metaspace first, no split", "t5-unigram", "whitespace-split-first" },
        new object[] { "T5 Unigram, Metaspace never, NFKC + Lowercase", "t5-unigram", "never-nfkc-lower" },
        new object[] { "Unigram with byte fallback and <0xHH> pieces", "t5-unigram", "byte-fallback" },
        new object[] { "BERT uncased WordPiece (BertNormalizer, BertPreTokenizer, BertProcessing)", "bert-wordpiece", "" },
        new object[] { "BERT cased (no lowercase, accents kept)", "bert-wordpiece", "bert-cased" },
        new object[] { "BERT, strip accents without lowercase, no CJK spacing, no clean text", "bert-wordpiece", "bert-accents" },
        new object[] { "WordPiece with Nmt, NFKD, StripAccents, Lowercase and Whitespace pre-tokenizer", "bert-wordpiece", "nmt-whitespace" },
        new object[] { "WordPiece with Punctuation (contiguous) + WhitespaceSplit, Template post-processor, no cleanup", "bert-wordpiece", "punct-template" },
        new object[] { "WordLevel over the WordPiece vocabulary, CharDelimiterSplit", "bert-wordpiece", "wordlevel" },
    ];

    [TestCaseSource(nameof(Variants))]
    public void EncodesAndDecodesAsTheRustLibrary(string variant, string fixture, string edit)
    {
        var json = Edit(JsonNode.Parse(File.ReadAllText(FixturePath(fixture, "tokenizer.json")))!.AsObject(), edit).ToJsonString();
        RustTokenizersOracle.RequireInstalled();
        var ours = TokenizerLoader.LoadTokenizerJson(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        OracleAgreement.Assert(variant, ours, new JsonObject { ["json"] = json }, Strings);
    }

    /// <summary>A file of the committed fixtures.</summary>
    /// <param name="fixture">The fixture folder.</param>
    /// <param name="file">The file.</param>
    /// <returns>The path.</returns>
    public static string FixturePath(string fixture, string file)
        => Path.Combine(TestPaths.RepositoryRoot, "tests", "Mlrb.Eval.Tests", "Tokenization", "Fixtures", fixture, file);

    private static JsonObject Edit(JsonObject tokenizer, string edit)
    {
        JsonNode Parse(string text) => JsonNode.Parse(text)!;
        var normalizers = tokenizer["normalizer"]?["normalizers"]?.AsArray();
        switch (edit)
        {
            case "":
                break;
            case "newer-t5":
            {
                var precompiled = normalizers![0]!.DeepClone();
                tokenizer["normalizer"] = new JsonObject
                {
                    ["type"] = "Sequence",
                    ["normalizers"] = new JsonArray(precompiled, Parse("""{"type":"Strip","strip_left":false,"strip_right":true}"""),
                        Parse("""{"type":"Replace","pattern":{"Regex":" {2,}"},"content":"▁"}""")),
                };
                tokenizer["pre_tokenizer"] = Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}""");
                tokenizer["decoder"] = Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}""");
                break;
            }

            case "whitespace-split-first":
                tokenizer["pre_tokenizer"] = Parse("""{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}]}""");
                tokenizer["decoder"] = Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}""");
                break;
            case "never-nfkc-lower":
                normalizers!.Insert(0, Parse("""{"type":"NFKC"}"""));
                normalizers.Add(Parse("""{"type":"Lowercase"}"""));
                tokenizer["pre_tokenizer"] = Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":true}""");
                break;
            case "byte-fallback":
            {
                var vocab = tokenizer["model"]!["vocab"]!.AsArray();
                for (var b = 0; b < 256; b++)
                {
                    vocab.Add(new JsonArray($"<0x{b:X2}>", -20.0));
                }

                tokenizer["model"]!["byte_fallback"] = true;
                tokenizer["normalizer"] = null;
                tokenizer["decoder"] = Parse("""{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]}""");
                break;
            }

            case "bert-cased":
                tokenizer["normalizer"] = Parse("""{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":false}""");
                break;
            case "bert-accents":
                tokenizer["normalizer"] = Parse("""{"type":"BertNormalizer","clean_text":false,"handle_chinese_chars":false,"strip_accents":true,"lowercase":false}""");
                break;
            case "nmt-whitespace":
                tokenizer["normalizer"] = Parse("""{"type":"Sequence","normalizers":[{"type":"Nmt"},{"type":"NFKD"},{"type":"StripAccents"},{"type":"Lowercase"}]}""");
                tokenizer["pre_tokenizer"] = Parse("""{"type":"Whitespace"}""");
                break;
            case "punct-template":
                tokenizer["pre_tokenizer"] = Parse("""{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},{"type":"Punctuation","behavior":"Contiguous"}]}""");
                tokenizer["post_processor"] = Parse("""{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"[SEP]","type_id":0}},{"SpecialToken":{"id":"[SEP]","type_id":0}}],"pair":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"[SEP]","type_id":0}},{"Sequence":{"id":"B","type_id":1}},{"SpecialToken":{"id":"[SEP]","type_id":1}}],"special_tokens":{"[CLS]":{"id":"[CLS]","ids":[2],"tokens":["[CLS]"]},"[SEP]":{"id":"[SEP]","ids":[3],"tokens":["[SEP]"]}}}""");
                tokenizer["decoder"] = Parse("""{"type":"WordPiece","prefix":"##","cleanup":false}""");
                break;
            case "wordlevel":
                tokenizer["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = tokenizer["model"]!["vocab"]!.DeepClone(), ["unk_token"] = "[UNK]" };
                tokenizer["pre_tokenizer"] = Parse("""{"type":"CharDelimiterSplit","delimiter":" "}""");
                tokenizer["decoder"] = null;
                break;
            default:
                throw new ArgumentException(edit);
        }

        return tokenizer;
    }
}
