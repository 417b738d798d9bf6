using Mlrb.Eval.Generation;

namespace Mlrb.Eval.Tests.Generation;

public class StopSequenceMatcherTests
{
    [Test]
    public void StopSplitOverPieces_IsFound_AndNothingOfItIsReleased()
    {
        var m = new StopSequenceMatcher(["\n\n", "END"]);
        Assert.That(m.Append("theorem x"), Is.EqualTo("theorem x"));
        Assert.That(m.Append(" :E"), Is.EqualTo(" :"), "'E' could start END: held back");
        Assert.That(m.Append("N"), Is.Empty);
        Assert.That(m.Append("D and more"), Is.Empty);
        Assert.That(m.Matched, Is.EqualTo("END"));
        Assert.That(m.Text, Is.EqualTo("theorem x :"));
    }

    [Test]
    public void HeldBackText_IsReleasedWhenItStopsLookingLikeAStop()
    {
        var m = new StopSequenceMatcher(["END"]);
        Assert.That(m.Append("aEN"), Is.EqualTo("a"));
        Assert.That(m.Append("x"), Is.EqualTo("ENx"));
        Assert.That(m.Append("E"), Is.Empty);
        Assert.That(m.Flush(), Is.EqualTo("E"));
        Assert.That(m.Matched, Is.Null);
    }

    [Test]
    public void EarliestOccurrenceWins_AsTheHarnessSplitDoes()
    {
        // "b c" occurs before "a b" finishes? Text "xa b c": "a b" at 1, "b c" at 3: cut at 1.
        var m = new StopSequenceMatcher(["b c", "a b"]);
        m.Append("xa b c");
        Assert.That(m.Text, Is.EqualTo("x"));
        Assert.That(m.Matched, Is.EqualTo("a b"));
    }

    [Test]
    public void StopAtTheVeryStart_GivesEmptyText()
    {
        var m = new StopSequenceMatcher(["\n"]);
        Assert.That(m.Append("\nfoo"), Is.Empty);
        Assert.That(m.Text, Is.Empty);
        Assert.That(m.Matched, Is.EqualTo("\n"));
    }

    [Test]
    public void EmptyStopStrings_AreIgnored()
    {
        var m = new StopSequenceMatcher([""]);
        Assert.That(m.Append("abc"), Is.EqualTo("abc"));
        Assert.That(m.Matched, Is.Null);
    }
}
