using System.Text.Json;
using Mlrb.Eval.Metrics;

namespace Mlrb.Eval.Tests.Metrics;

public class CorpusBleuTests
{
    [Test]
    public void IdenticalCorpus_Is100()
        => Assert.That(CorpusBleu.Compute(["a b c d e"], ["a b c d e"]).Score, Is.EqualTo(100.0).Within(1e-9));

    [Test]
    public void NoMatches_IsZero()
        => Assert.That(CorpusBleu.Compute(["x y z w"], ["a b c d"]).Score, Is.Zero);

    [Test]
    public void BrevityPenalty_ByHand()
    {
        // All precisions are 1; BP = exp(1 - 6/4).
        var s = CorpusBleu.Compute(["a b c d"], ["a b c d e f"]);
        Assert.That(s.BrevityPenalty, Is.EqualTo(Math.Exp(-0.5)).Within(1e-12));
        Assert.That(s.Score, Is.EqualTo(100 * Math.Exp(-0.5)).Within(1e-9));
    }

    [Test]
    public void Precisions_ByHand()
    {
        // 4/5, 3/4, 2/3, 1/2 -> geometric mean of the product 0.2.
        Assert.That(CorpusBleu.Compute(["a b c d x"], ["a b c d y"]).Score, Is.EqualTo(100 * Math.Pow(0.2, 0.25)).Within(1e-9));
    }

    [Test]
    public void ExpSmoothing_ByHand()
    {
        // 1-grams 3/5 = 60; 2..4-grams unmatched: 100/(2*4), 100/(4*3), 100/(8*2).
        var s = CorpusBleu.Compute(["a x b y c"], ["a b c d e"]);
        Assert.That(s.Precisions, Is.EqualTo(new[] { 60.0, 12.5, 100.0 / 12, 6.25 }).Within(1e-12));
        Assert.That(s.Score, Is.EqualTo(Math.Pow(60 * 12.5 * (100.0 / 12) * 6.25, 0.25)).Within(1e-9));
    }

    [Test]
    public void ShortSegmentWithoutFourGrams_ScoresZero_AsSacrebleuDefaultsDo()
        => Assert.That(CorpusBleu.Compute(["a b c"], ["a b c"]).Score, Is.LessThan(1e-100));

    [Test]
    public void MatchesNltkOn13aTokenizedSegments()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "bleu-reference.json");
        foreach (var c in JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray())
        {
            var hyps = c.GetProperty("hyp").EnumerateArray().Select(e => e.GetString()!).ToList();
            var refs = c.GetProperty("ref").EnumerateArray().Select(e => e.GetString()!).ToList();
            var tokens = c.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.That(hyps.Select(Tokenizer13a.Tokenize), Is.EqualTo(tokens));
            Assert.That(CorpusBleu.Compute(hyps, refs).Score, Is.EqualTo(c.GetProperty("bleu").GetDouble()).Within(1e-9), hyps[0]);
        }
    }

    [TestCase("Hello, world.", "Hello , world .")]
    [TestCase("3.14 and 1,000", "3.14 and 1,000")]
    [TestCase("x &amp; y &lt;z&gt;", "x & y < z >")]
    [TestCase("pre-\nfix 9-5", "prefix 9 - 5")]
    public void Tokenizer13a_ByHand(string input, string expected)
        => Assert.That(Tokenizer13a.Tokenize(input), Is.EqualTo(expected));

    [Test]
    public void SmoothedBleu_EqualsNltkMethod3_AndRougeL_EqualsTheRestatedRougeScore()
    {
        // Every hypothesis has at least 4 tokens and some orders have no match: NLTK's smoothed corpus_bleu applies as is.
        string[] hyps = ["theorem foo (n : nat) : n = n := rfl", "lemma bar : 2 + 2 = 4 := by norm_num", "the quick brown fox jumps"];
        string[] refs = ["theorem foo (n : ℕ) : n = n := begin refl end", "lemma baz : 2 + 2 = 4 := dec_trivial", "a slow red fox sleeps today"];
        var pairs = JsonSerializer.Serialize(hyps.Select((h, i) => new { hyp = h, @ref = refs[i] }));
        var reference = System.Text.Json.Nodes.JsonNode.Parse(Benchmarks.PythonReference.Run("text_metrics.py", pairs, "nltk"))!;
        Assert.That(reference["every_hypothesis_has_4_tokens"]!.GetValue<bool>(), Is.True);
        Assert.That(CorpusBleu.Compute(hyps, refs).Score, Is.EqualTo(reference["nltk_corpus_bleu"]!.GetValue<double>()).Within(1e-9));
        Assert.That(CorpusBleu.Compute(hyps, refs).Score, Is.EqualTo(reference["bleu"]!.GetValue<double>()).Within(1e-9));
        Assert.That(RougeL.CorpusF1(hyps, refs), Is.EqualTo(reference["rouge_l"]!.GetValue<double>()).Within(1e-12));
    }
}
