using System.Text;
using System.Text.RegularExpressions;
using Mlrb.Eval.Data;

namespace Mlrb.Eval.Metrics;

/// <summary>SQuAD v1 answer normalisation, token F1 and exact match (transformers <c>squad_metrics</c>), max over gold answers.</summary>
internal static partial class SquadMetrics
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Lower-case, drop ASCII punctuation, drop articles, collapse whitespace.</summary>
    public static string Normalize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.ToLowerInvariant())
        {
            if (!Punctuation.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
            }
        }

        var noArticles = Articles().Replace(sb.ToString(), " ");
        return string.Join(' ', PyText.Split(noArticles));
    }

    /// <summary>1 when the normalised strings are equal.</summary>
    public static double ExactMatch(string gold, string prediction) => Normalize(gold) == Normalize(prediction) ? 1.0 : 0.0;

    /// <summary>Token-multiset F1; <c>int(both empty)</c> when either side has no tokens.</summary>
    public static double F1(string gold, string prediction)
    {
        var goldTokens = gold.Length == 0 ? [] : PyText.Split(Normalize(gold));
        var predTokens = prediction.Length == 0 ? [] : PyText.Split(Normalize(prediction));
        if (goldTokens.Count == 0 || predTokens.Count == 0)
        {
            return goldTokens.Count == predTokens.Count ? 1.0 : 0.0;
        }

        var counts = goldTokens.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var same = 0;
        foreach (var t in predTokens)
        {
            if (counts.TryGetValue(t, out var c) && c > 0)
            {
                counts[t] = c - 1;
                same++;
            }
        }

        if (same == 0)
        {
            return 0.0;
        }

        var precision = (double)same / predTokens.Count;
        var recall = (double)same / goldTokens.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The maximum of a metric over the gold answers.</summary>
    public static double MaxOverAnswers(Func<string, string, double> metric, string prediction, IReadOnlyList<string> answers)
        => answers.Max(a => metric(prediction, a));

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
