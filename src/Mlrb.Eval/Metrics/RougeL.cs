using System.Text.RegularExpressions;
using Mlrb.Eval.Data;

namespace Mlrb.Eval.Metrics;

/// <summary>
/// ROUGE-L F1 as Google's <c>rouge_score</c> computes it without stemming: lower-case, keep <c>[a-z0-9]+</c> tokens,
/// longest common subsequence, F = 2PR/(P+R); the corpus value is the mean over pairs.
/// </summary>
internal static partial class RougeL
{
    /// <summary>Mean ROUGE-L F1 over prediction/reference pairs.</summary>
    public static double CorpusF1(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(references.Count, predictions.Count);
        return predictions.Count == 0 ? double.NaN : predictions.Select((p, i) => F1(p, references[i])).Average();
    }

    /// <summary>ROUGE-L F1 of one pair.</summary>
    public static double F1(string prediction, string reference)
    {
        var p = Tokenize(prediction);
        var r = Tokenize(reference);
        if (p.Count == 0 || r.Count == 0)
        {
            return 0.0;
        }

        var lcs = Lcs(r, p);
        var precision = (double)lcs / p.Count;
        var recall = (double)lcs / r.Count;
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    }

    /// <summary>rouge_score's default tokenizer (no stemming).</summary>
    public static List<string> Tokenize(string text)
        => PyText.Split(NonAlphanumeric().Replace(text.ToLowerInvariant(), " "));

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    private static int Lcs(List<string> a, List<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }
}
