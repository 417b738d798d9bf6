using System.Text.Json;
using Mlrb.Eval.Tokenization;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Tokenization;

/// <summary>
/// GPT-2 ids for 2,000 real BLiMP sentences against golden ids from an independent Python implementation of OpenAI's
/// algorithm (<c>benchmarks/reference/gpt2_bpe_reference.py golden 2000 ...</c>).
/// </summary>
public class Gpt2ReferenceDifferentialTests
{
    [Test]
    public void BlimpSentences_MatchTheReferenceIds()
    {
        var golden = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "tests", "Mlrb.Eval.Tests", "Tokenization", "Golden", "gpt2-blimp-every5th.ids.txt"))
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(' ').Select(int.Parse).ToArray())
            .ToList();
        var sentences = BlimpSentences(golden.Count * 5).Where((_, i) => i % 5 == 0).ToList();
        Assert.That(sentences, Has.Count.EqualTo(golden.Count), "enough BLiMP sentences in ../shared/data");
        var tokenizer = TokenizerLoader.LoadVocabAndMerges(
            TestPaths.RequireSharedData("tokenizers/gpt2/encoder.json"),
            TestPaths.RequireSharedData("tokenizers/gpt2/vocab.bpe"));
        var mismatches = Enumerable.Range(0, golden.Count)
            .Where(i => !tokenizer.Encode(sentences[i], addSpecialTokens: false).SequenceEqual(golden[i]))
            .Select(i => sentences[i])
            .Take(5)
            .ToList();
        Assert.That(mismatches, Is.Empty);
    }

    private static List<string> BlimpSentences(int count)
    {
        var result = new List<string>();
        foreach (var file in Directory.GetFiles(TestPaths.RequireSharedData("benchmarks/blimp"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                if (result.Count == count)
                {
                    return result;
                }

                using var doc = JsonDocument.Parse(line);
                result.Add(" " + doc.RootElement.GetProperty("sentence_good").GetString());
            }
        }

        return result;
    }
}
