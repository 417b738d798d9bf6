using Mlrb.Eval.Data;

namespace Mlrb.Eval.Metrics;

/// <summary>
/// sacrebleu's <c>corpus_bleu</c> with its defaults: 13a tokenisation, case-sensitive, 4-grams, <c>exp</c> smoothing,
/// one reference per hypothesis.
/// </summary>
internal static class CorpusBleu
{
    private const int MaxOrder = 4;

    /// <summary>Scores hypotheses against their references.</summary>
    public static BleuScore Compute(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(references.Count, hypotheses.Count);
        var correct = new double[MaxOrder];
        var total = new double[MaxOrder];
        int sysLen = 0, refLen = 0;
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var hyp = Tokens(hypotheses[i]);
            var reference = Tokens(references[i]);
            sysLen += hyp.Length;
            refLen += reference.Length;
            for (var n = 1; n <= MaxOrder; n++)
            {
                var refCounts = NGrams(reference, n);
                foreach (var (gram, count) in NGrams(hyp, n))
                {
                    total[n - 1] += count;
                    if (refCounts.TryGetValue(gram, out var rc))
                    {
                        correct[n - 1] += Math.Min(count, rc);
                    }
                }
            }
        }

        var bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - ((double)refLen / sysLen)) : 0.0) : 1.0;
        var precisions = new double[MaxOrder];
        if (correct.All(c => c == 0))
        {
            return new BleuScore(0.0, precisions, bp, sysLen, refLen);
        }

        var smooth = 1.0;
        for (var n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0)
            {
                break;
            }

            if (correct[n] == 0)
            {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            }
            else
            {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }

        var logSum = precisions.Sum(p => p == 0 ? -9999999999.0 : Math.Log(p));
        return new BleuScore(bp * Math.Exp(logSum / MaxOrder), precisions, bp, sysLen, refLen);
    }

    private static string[] Tokens(string segment)
    {
        var tokenized = Tokenizer13a.Tokenize(PyText.RStrip(segment));
        return tokenized.Length == 0 ? [] : tokenized.Split(' ');
    }

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var gram = string.Join('\u0001', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
