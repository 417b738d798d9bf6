using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Tests.Generation;

public class TopIndicesTests
{
    [Test]
    public void LargestFirst_LowerIndexFirstOnTies()
        => Assert.That(GenerationScheduler.TopIndices([1f, 5f, 3f, 5f, -2f, 4f], 3), Is.EqualTo(new[] { 1, 3, 5 }));

    [Test]
    public void MoreThanTheRow_ReturnsTheWholeRowSorted()
        => Assert.That(GenerationScheduler.TopIndices([1f, 3f, 2f], 5), Is.EqualTo(new[] { 1, 2, 0 }));

    [Test]
    public void MatchesAFullSort_OnRandomRows()
    {
        var rng = new Random(3);
        for (var t = 0; t < 50; t++)
        {
            var row = Enumerable.Range(0, 300).Select(_ => (float)Math.Round(rng.NextDouble() * 20, 1)).ToArray();
            var expected = row.Select((v, i) => (v, i)).OrderByDescending(p => p.v).ThenBy(p => p.i).Take(7).Select(p => p.i);
            Assert.That(GenerationScheduler.TopIndices(row, 7), Is.EqualTo(expected));
        }
    }
}
