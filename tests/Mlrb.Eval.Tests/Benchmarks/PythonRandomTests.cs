using System.Text.Json;
using Mlrb.Eval.Benchmarks;

namespace Mlrb.Eval.Tests.Benchmarks;

/// <summary>Vectors in Vectors/python-random-vectors.json were produced by CPython 3.11 (Vectors/python_random_vectors.py).</summary>
public class PythonRandomTests
{
    private static JsonElement Vectors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "python-random-vectors.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    [Test]
    public void GetRandBits32_MatchesCPython_ForSeed1234()
    {
        var expected = Vectors().GetProperty("getrandbits32_seed1234").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        var rng = new PythonRandom(1234);
        var actual = expected.Select(_ => rng.GetRandBits(32)).ToArray();
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCase(0ul, "getrandbits_seed0")]
    [TestCase((1ul << 40) + 5, "getrandbits_seed_2pow40p5")]
    public void Seeding_SplitsTheSeedInto32BitWords(ulong seed, string key)
    {
        var expected = Vectors().GetProperty(key).EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        var rng = new PythonRandom(seed);
        Assert.That(expected.Select(_ => rng.GetRandBits(32)).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Random_MatchesCPythonDoubles()
    {
        var expected = Vectors().GetProperty("random_seed1234").EnumerateArray().Select(e => double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var rng = new PythonRandom(1234);
        Assert.That(expected.Select(_ => rng.NextDouble()).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void RandBelow_MatchesCPython()
    {
        var expected = Vectors().GetProperty("randbelow_seed1234_n7").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var rng = new PythonRandom(1234);
        Assert.That(expected.Select(_ => rng.RandBelow(7)).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Sample_MatchesCPython_InBothThePoolAndTheSetBranch()
    {
        foreach (var c in Vectors().GetProperty("sample_cases").EnumerateArray())
        {
            var n = c.GetProperty("n").GetInt32();
            var k = c.GetProperty("k").GetInt32();
            var population = Enumerable.Range(0, n).ToList();
            var rng = new PythonRandom(1234);
            foreach (var draw in c.GetProperty("draws").EnumerateArray())
            {
                var expected = draw.EnumerateArray().Select(e => e.GetInt32()).ToList();
                Assert.That(rng.Sample(population, k), Is.EqualTo(expected), $"n={n} k={k}");
            }
        }
    }

    [Test]
    public void Sample_RejectsKLargerThanThePopulation()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new PythonRandom(1).Sample(new[] { 1, 2 }, 3));
}
