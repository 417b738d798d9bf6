using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tasks.Tests.ToolCalls;

public class ToolOutputCapTests
{
    [Test]
    public void ShortText_IsUnchanged() => Assert.That(ToolOutputCap.Cap("short", 1_000), Is.EqualTo("short"));

    [TestCase(600)]
    [TestCase(5_000)]
    public void LongText_KeepsHeadAndTail_AndNeverExceedsTheCap(int cap)
    {
        var text = "HEAD" + new string('x', 20_000) + "\n" + new string('y', 20_000) + "TAIL";

        var capped = ToolOutputCap.Cap(text, cap);

        Assert.That(capped.Length, Is.LessThanOrEqualTo(cap));
        Assert.That(capped, Does.StartWith("HEAD").And.EndWith("TAIL"));
        Assert.That(capped, Does.Match(@"\[\.\.\. \d+ characters \(1 lines\) cut from the middle \.\.\.\]"));
        Assert.That(ToolOutputCap.WouldCut(text, cap), Is.True);
    }

    [Test]
    public void TinyCaps_AreRaisedToTheMinimum()
    {
        var text = new string('z', 1_000);

        Assert.That(ToolOutputCap.Cap(text, 10).Length, Is.InRange(100, ToolOutputCap.MinimumChars), "the cap of 10 is raised to 200");
        Assert.That(ToolOutputCap.WouldCut(new string('z', ToolOutputCap.MinimumChars), 10), Is.False);
    }
}
