using System.Text;
using Mlrb.Tools.Processes;

namespace Mlrb.Tools.Tests.Processes;

public class HeadTailCaptureTests
{
    [Test]
    public void SmallOutput_IsKeptWhole()
    {
        var c = new HeadTailCapture(1000);
        c.Append("hello "u8);
        c.Append("world\n"u8);
        Assert.That(c.Render("log"), Is.EqualTo("hello world\n"));
        Assert.That(c.Truncated, Is.False);
    }

    [Test]
    public void LargeOutput_KeepsHeadAndTail_AndCountsTheCut()
    {
        var c = new HeadTailCapture(200);
        var lines = Enumerable.Range(0, 1000).Select(i => $"line {i:D4}\n").ToList();
        foreach (var line in lines)
        {
            c.Append(Encoding.UTF8.GetBytes(line));
        }

        var text = c.Render("x.log");
        Assert.That(c.Truncated, Is.True);
        Assert.That(c.TotalBytes, Is.EqualTo(10_000));
        Assert.That(text, Does.StartWith("line 0000\n").And.EndWith("line 0999\n"));
        // 100 bytes head + 100 bytes tail kept = 20 lines; 9800 bytes = 980 lines cut.
        Assert.That(text, Does.Contain("[... 9800 bytes (980 lines) cut from the middle; full output in x.log ...]"));
    }

    [Test]
    public void OneHugeChunk_IsSplitCorrectly()
    {
        var c = new HeadTailCapture(200);
        var data = Encoding.ASCII.GetBytes("H" + new string('m', 5000) + "T");
        c.Append(data);
        var text = c.Render(null);
        Assert.That(text, Does.StartWith("Hmmm").And.EndWith("mmmT"));
        Assert.That(text, Does.Contain("[... 4802 bytes (0 lines) cut from the middle ...]"));
    }
}
