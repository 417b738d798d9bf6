using System.Numerics.Tensors;

namespace Mlrb.Eval.Generation;

/// <summary>
/// Picks the next token from a row of logits as Hugging Face <c>generate</c> does: greedy (first-index argmax) when the
/// temperature is 0, otherwise the logits divided by the temperature, then top-k (ties at the k-th value kept), then
/// top-p (the smallest-probability tokens whose cumulative probability is at most 1 − p are removed, the most likely
/// token always kept), a softmax over what is left, and one draw from a <see cref="SeededRandom"/>.
/// </summary>
internal sealed class TokenSampler
{
    private readonly double _temperature;
    private readonly double _topP;
    private readonly int _topK;
    private readonly SeededRandom? _random;

    public TokenSampler(double temperature, double topP, int topK, long seed)
    {
        _temperature = temperature;
        _topP = topP;
        _topK = topK;
        _random = temperature > 0 ? new SeededRandom(seed) : null;
    }

    public bool IsGreedy => _random is null;

    /// <summary>The next token.</summary>
    public int Next(ReadOnlySpan<float> logits)
    {
        if (_random is null)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        var (ids, probabilities) = Distribution(logits);
        var u = _random.NextDouble();
        double cumulative = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative)
            {
                return ids[i];
            }
        }

        return ids[^1];
    }

    /// <summary>The tokens a draw can return and their probabilities (ids ascending), after temperature, top-k and top-p.</summary>
    public (int[] Ids, double[] Probabilities) Distribution(ReadOnlySpan<float> logits)
    {
        if (_random is null)
        {
            return ([TensorPrimitives.IndexOfMax(logits)], [1.0]);
        }

        var width = logits.Length;
        var scaled = new float[width];
        for (var i = 0; i < width; i++)
        {
            scaled[i] = (float)(logits[i] / _temperature);
        }

        var kept = Enumerable.Range(0, width).Where(i => !float.IsNegativeInfinity(scaled[i]) && !float.IsNaN(scaled[i])).ToList();
        if (kept.Count == 0)
        {
            throw new InvalidOperationException("every logit is -inf or NaN; there is nothing to sample.");
        }

        if (_topK > 0 && _topK < kept.Count)
        {
            var values = kept.Select(i => scaled[i]).ToArray();
            Array.Sort(values);
            var threshold = values[^_topK];
            kept = kept.Where(i => scaled[i] >= threshold).ToList();
        }

        if (_topP < 1.0 && kept.Count > 1)
        {
            var ascending = kept.OrderBy(i => scaled[i]).ThenByDescending(i => i).ToArray();
            var p = Softmax(ascending.Select(i => scaled[i]).ToArray());
            double cumulative = 0;
            var removed = new HashSet<int>();
            for (var j = 0; j < ascending.Length - 1; j++)
            {
                cumulative += p[j];
                if (cumulative <= 1.0 - _topP)
                {
                    removed.Add(ascending[j]);
                }
            }

            kept = kept.Where(i => !removed.Contains(i)).ToList();
        }

        var ids = kept.ToArray();
        return (ids, Softmax(ids.Select(i => scaled[i]).ToArray()));
    }

    private static double[] Softmax(float[] values)
    {
        var max = values.Max();
        var p = new double[values.Length];
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            p[i] = Math.Exp((double)values[i] - max);
            sum += p[i];
        }

        for (var i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }

        return p;
    }
}
