using Mlrb.Eval.Metrics;

namespace Mlrb.Eval.Tests.Metrics;

public class SquadMetricsTests
{
    [TestCase("The Cat, sat!", "cat sat")]
    [TestCase("  an   apple and a pear ", "apple and pear")]
    public void Normalize_ByHand(string input, string expected) => Assert.That(SquadMetrics.Normalize(input), Is.EqualTo(expected));

    [Test]
    public void F1_ByHand()
        => Assert.That(SquadMetrics.F1("the Cat sat", "a cat sat down"), Is.EqualTo(0.8).Within(1e-12));

    [Test]
    public void F1_EmptyAfterNormalisation_IsOneOnlyWhenBothEmpty()
    {
        Assert.That(SquadMetrics.F1("the", "a"), Is.EqualTo(1.0));
        Assert.That(SquadMetrics.F1("the", "cat"), Is.Zero);
    }

    [Test]
    public void ExactMatch_MaxOverAnswers()
        => Assert.That(SquadMetrics.MaxOverAnswers(SquadMetrics.ExactMatch, "The U.S.", ["United States", "US"]), Is.EqualTo(1.0));

    [Test]
    public void MacroF1_ByHand()
    {
        // golds 0,1,2,0; preds 0,0,0,0: class 0 F1 = 2*2/(2*2+2+0) = 2/3; classes 1 and 2 have no true positives -> 0.
        Assert.That(MacroF1.Compute([0, 1, 2, 0], [0, 0, 0, 0], 3), Is.EqualTo(2.0 / 9).Within(1e-12));
    }

    [Test]
    public void PooledStderr_ByHand()
    {
        // Two parts of 3 with se 1/3 each: Σ(n-1)·se²·n = 2 * (2 * 1/9 * 3) = 4/3; / (6 - 2) = 1/3; / 6 -> sqrt(1/18).
        Assert.That(SampleStatistics.PooledStderr([(1.0 / 3, 3), (1.0 / 3, 3)]), Is.EqualTo(Math.Sqrt(1.0 / 18)).Within(1e-12));
    }
}
