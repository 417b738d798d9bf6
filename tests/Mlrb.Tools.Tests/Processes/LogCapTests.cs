using System.Text;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools.Processes;

namespace Mlrb.Tools.Tests.Processes;

/// <summary>The <c>.mlrb/logs</c> file of a call keeps the head and the tail of a flood, never the whole of it.</summary>
public class LogCapTests
{
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(5000)]
    public async Task CappedLog_KeepsFirstAndLastHalf_WithAMarker(int chunkSize)
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => (char)('a' + (i % 26)))) + "END");
        using var file = new MemoryStream();
        var log = new CappedLog(file, 100);
        for (var i = 0; i < data.Length; i += chunkSize)
        {
            await log.WriteAsync(data.AsMemory(i, Math.Min(chunkSize, data.Length - i)));
        }

        await log.CompleteAsync();
        var text = Encoding.UTF8.GetString(file.ToArray());
        var head = Encoding.ASCII.GetString(data, 0, 50);
        var tail = Encoding.ASCII.GetString(data, data.Length - 50, 50);
        Assert.That(text, Does.StartWith(head + "\n[mlrb] ... 1,903 bytes cut from the middle"));
        Assert.That(text, Does.EndWith("...\n" + tail));
    }

    [Test]
    public async Task CappedLog_UnderTheCap_IsKeptWhole()
    {
        using var file = new MemoryStream();
        var log = new CappedLog(file, 100);
        await log.WriteAsync("hello "u8.ToArray());
        await log.WriteAsync(Encoding.ASCII.GetBytes(new string('x', 90)));
        await log.CompleteAsync();

        Assert.That(Encoding.ASCII.GetString(file.ToArray()), Is.EqualTo("hello " + new string('x', 90)));
    }

    [Test]
    public async Task RunBash_AOneGigabyteFlood_LeavesALogWithinTheDefaultCap()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        var cap = new MlrbToolsOptions().MaxLogBytes;

        var r = await h.InvokeAsync("run_bash", new { script = "echo FIRST-LINE; head -c 1073741824 /dev/zero | tr '\\0' 'x'; echo; echo LAST-LINE" });

        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        var log = new FileInfo(h.PathOf(r.LogPath!));
        Assert.That(log.Length, Is.LessThanOrEqualTo(cap + 4096), "the log is capped, not 1 GB");
        Assert.That(log.Length, Is.GreaterThan(cap / 2), "head and tail are kept");
        var text = File.ReadAllText(log.FullName);
        Assert.That(text, Does.Contain("FIRST-LINE").And.Contain("bytes cut from the middle of this log"));
        Assert.That(text.TrimEnd(), Does.EndWith("LAST-LINE"));
        Assert.That(r.Stdout, Does.Contain("FIRST-LINE").And.Contain("LAST-LINE"), "the model-facing output is still head and tail");
    }

    [Test]
    public async Task RunBash_MaxLogBytesOption_IsHonoured()
    {
        using var h = new ToolHarness(o => { o.Sandbox = SandboxMode.None; o.MaxLogBytes = 10_000; });

        var r = await h.InvokeAsync("run_bash", new { script = "seq 1 100000" });

        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        var text = File.ReadAllText(h.PathOf(r.LogPath!));
        Assert.That(text.Length, Is.LessThan(10_000 + 1024));
        Assert.That(text, Does.Contain("\n1\n2\n3\n").And.Contain("bytes cut from the middle"));
        Assert.That(text.TrimEnd(), Does.EndWith("99999\n100000"));
    }
}
