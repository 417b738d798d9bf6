namespace Mlrb.Eval.Metrics;

/// <summary>CB's <c>cb_multi_fi</c>: the mean of one-vs-rest binary F1 over the classes (F1 is 0 when undefined).</summary>
internal static class MacroF1
{
    /// <summary>Computes the macro F1 over <paramref name="classes"/> classes.</summary>
    public static double Compute(IReadOnlyList<int> golds, IReadOnlyList<int> predictions, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(predictions.Count, golds.Count);
        var sum = 0.0;
        for (var k = 0; k < classes; k++)
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < golds.Count; i++)
            {
                var g = golds[i] == k;
                var p = predictions[i] == k;
                if (g && p)
                {
                    tp++;
                }
                else if (p)
                {
                    fp++;
                }
                else if (g)
                {
                    fn++;
                }
            }

            var denominator = (2 * tp) + fp + fn;
            sum += denominator == 0 ? 0.0 : 2.0 * tp / denominator;
        }

        return sum / classes;
    }
}
