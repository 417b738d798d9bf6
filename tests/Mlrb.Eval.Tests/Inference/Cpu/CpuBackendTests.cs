using Mlrb.Eval.Inference;
using Mlrb.Eval.Inference.Cpu;

namespace Mlrb.Eval.Tests.Inference.Cpu;

/// <summary>CPU backend operations against naive double-precision definitions.</summary>
public class CpuBackendTests
{
    private static readonly (double X, double Gelu)[] GeluReference =
    [
        // 0.5·x·(1 + erf(x/√2)) from Python's math.erf.
        (-3.0, -0.00404969409489031), (-1.5, -0.10021080190328713), (-0.5, -0.15426876936299344), (-1e-3, -0.000499601057786089),
        (0.0, 0.0), (0.25, 0.14967658142073093), (1.0, 0.8413447460685429), (2.5, 2.4844758366855597), (5.0, 4.999998566742141),
    ];

    [Test]
    public void ExactGelu_MatchesErfReference()
    {
        var backend = new CpuBackend(1);
        var input = backend.Upload(GeluReference.Select(r => (float)r.X).ToArray());
        var output = backend.Allocate(GeluReference.Length);

        backend.Activate(new Activation(ActivationFunction.GeluErf, Gated: false), input, 1, GeluReference.Length, output);

        var result = new float[GeluReference.Length];
        backend.Download(output, result);
        for (var i = 0; i < result.Length; i++)
        {
            Assert.That(result[i], Is.EqualTo(GeluReference[i].Gelu).Within(Math.Max(1e-6 * Math.Abs(GeluReference[i].Gelu), 1e-9)), $"gelu({GeluReference[i].X})");
        }
    }

    [Test]
    public void GatedActivation_IsActOfGateTimesUp()
    {
        var backend = new CpuBackend(1);
        float[] row = [1f, -2f, 0.5f, 3f, 4f, -1f]; // gate [1, -2, 0.5], up [3, 4, -1]
        var output = backend.Allocate(3);

        backend.Activate(new Activation(ActivationFunction.Relu, Gated: true), backend.Upload(row), 1, 6, output);

        var result = new float[3];
        backend.Download(output, result);
        Assert.That(result, Is.EqualTo(new[] { 3f, 0f, -0.5f }));
    }

    [TestCase(null, null)]
    [TestCase(3, null)]
    [TestCase(2, 5f)]
    [TestCase(null, 1.5f)]
    [TestCase(3, null, 13)]
    [TestCase(null, null, 20)]
    [TestCase(2, 5f, 67)]
    [TestCase(null, null, 3)]
    public void Attention_WithPrefixCacheGqaWindowAndSoftCap_MatchesNaive(int? window, float? softCap, int headDimension = 8)
    {
        // Head widths cover each path of the pointer kernels: 8-wide vectors, a 4-wide vector and scalar tails.
        var layout = new QkvLayout(QueryHeads: 4, KeyValueHeads: 2, HeadDimension: headDimension);
        var options = new AttentionOptions(Scale: 0.35f, SoftCap: softCap, SlidingWindow: window);
        var rng = new Random(21);
        const int PrefixLength = 5, NewLength = 4, OtherLength = 6;

        // Sequence A: a 5-token prefix stored in a cache, then 4 new tokens continuing it. Sequence B: 6 tokens, no prefix.
        var prefixRows = RandomRows(rng, PrefixLength, layout.Width);
        var newRows = RandomRows(rng, NewLength, layout.Width);
        var otherRows = RandomRows(rng, OtherLength, layout.Width);
        var backend = new CpuBackend(2);
        var cache = new KvCache(backend, 1, PrefixLength, layout.KeyValueWidth);
        var first = new ForwardBatch(new int[PrefixLength], [0, PrefixLength], [], stores: [cache]);
        backend.StoreKeyValues(backend.Prepare(first, new int[PrefixLength], [], []), 0, backend.Upload(prefixRows.SelectMany(r => r).ToArray()), layout);
        cache.Length = PrefixLength;

        var batch = new ForwardBatch(new int[NewLength + OtherLength], [0, NewLength, NewLength + OtherLength], [], prefixes: [cache, null]);
        var prepared = backend.Prepare(batch, new int[NewLength + OtherLength], [], []);
        var output = backend.Allocate((NewLength + OtherLength) * layout.QueryWidth);
        backend.Attention(prepared, 0, backend.Upload(newRows.Concat(otherRows).SelectMany(r => r).ToArray()), layout, options, output);

        var result = new float[(NewLength + OtherLength) * layout.QueryWidth];
        backend.Download(output, result);
        var expectedA = Naive(prefixRows.Concat(newRows).ToArray(), layout, options);
        var expectedB = Naive(otherRows, layout, options);
        for (var t = 0; t < NewLength; t++)
        {
            Assert.That(result.AsSpan(t * layout.QueryWidth, layout.QueryWidth).ToArray(), Is.EqualTo(expectedA[PrefixLength + t]).Within(1e-5), $"A token {t}");
        }

        for (var t = 0; t < OtherLength; t++)
        {
            Assert.That(result.AsSpan((NewLength + t) * layout.QueryWidth, layout.QueryWidth).ToArray(), Is.EqualTo(expectedB[t]).Within(1e-5), $"B token {t}");
        }
    }

    [Test]
    public void LayerNormWithoutAffine_AndRmsNorm_MatchDefinitions()
    {
        var backend = new CpuBackend(1);
        float[] x = [1f, 2f, 4f, -3f];
        var y = backend.Allocate(4);

        backend.Normalize(NormKind.LayerNorm, backend.Upload(x), 1, 4, null, null, 1e-5f, y);
        var ln = new float[4];
        backend.Download(y, ln);
        backend.Normalize(NormKind.RmsNorm, backend.Upload(x), 1, 4, backend.Upload([1f, 2f, 1f, 1f]), null, 1e-6f, y);
        var rms = new float[4];
        backend.Download(y, rms);

        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var meanSquare = x.Select(v => v * v).Average();
        for (var i = 0; i < 4; i++)
        {
            Assert.That(ln[i], Is.EqualTo((x[i] - mean) / Math.Sqrt(variance + 1e-5)).Within(1e-6));
            Assert.That(rms[i], Is.EqualTo((i == 1 ? 2 : 1) * x[i] / Math.Sqrt(meanSquare + 1e-6)).Within(1e-6));
        }
    }

    private static float[][] RandomRows(Random rng, int rows, int width)
        => Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, width).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray()).ToArray();

    /// <summary>Causal attention over the whole sequence in double precision.</summary>
    private static double[][] Naive(float[][] rows, QkvLayout layout, AttentionOptions options)
    {
        var hd = layout.HeadDimension;
        var group = layout.QueryHeads / layout.KeyValueHeads;
        var result = new double[rows.Length][];
        for (var t = 0; t < rows.Length; t++)
        {
            result[t] = new double[layout.QueryWidth];
            for (var h = 0; h < layout.QueryHeads; h++)
            {
                var kv = h / group;
                var first = options.SlidingWindow is { } w ? Math.Max(0, t - w + 1) : 0;
                var scores = new double[t + 1 - first];
                for (var j = first; j <= t; j++)
                {
                    double dot = 0;
                    for (var i = 0; i < hd; i++)
                    {
                        dot += (double)rows[t][(h * hd) + i] * rows[j][layout.QueryWidth + (kv * hd) + i];
                    }

                    var s = dot * options.Scale;
                    scores[j - first] = options.SoftCap is { } cap ? cap * Math.Tanh(s / cap) : s;
                }

                var max = scores.Max();
                var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                var sum = weights.Sum();
                for (var j = first; j <= t; j++)
                {
                    for (var i = 0; i < hd; i++)
                    {
                        result[t][(h * hd) + i] += weights[j - first] / sum * rows[j][layout.QueryWidth + layout.KeyValueWidth + (kv * hd) + i];
                    }
                }
            }
        }

        return result;
    }
}
