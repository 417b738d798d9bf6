using Mlrb.Eval.Metrics;

namespace Mlrb.Eval.Tests.Metrics;

public class RougeLTests
{
    [Test]
    public void F1_ByHand()
    {
        // LCS("the cat sat", "the cat was sat here") = 3; P = 3/3, R = 3/5, F = 2PR/(P+R) = 0.75.
        Assert.That(RougeL.F1("the cat sat", "the cat was sat here"), Is.EqualTo(0.75).Within(1e-12));
    }

    [Test]
    public void LowercasesAndDropsPunctuation()
        => Assert.That(RougeL.F1("The CAT, sat!", "the cat was sat here"), Is.EqualTo(0.75).Within(1e-12));

    [Test]
    public void EmptySide_IsZero()
        => Assert.That(RougeL.F1("...", "the cat"), Is.Zero);

    [Test]
    public void Corpus_IsTheMeanOfPairs()
        => Assert.That(RougeL.CorpusF1(["a b", "x"], ["a b", "y"]), Is.EqualTo(0.5).Within(1e-12));

    [Test]
    public void LcsIsNotContiguous()
    {
        // LCS("a b c d", "a x b y d") = a b d = 3; P = 3/4, R = 3/5 -> F = 2*0.45/1.35.
        Assert.That(RougeL.F1("a b c d", "a x b y d"), Is.EqualTo(2 * 0.75 * 0.6 / 1.35).Within(1e-12));
    }
}
