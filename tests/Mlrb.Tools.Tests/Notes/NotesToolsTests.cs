using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Tests.Notes;

public class NotesToolsTests
{
    private ToolHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new ToolHarness(o => o.Sandbox = SandboxMode.None);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task Scratchpad_WriteThenRead_ReturnsTheNotesInOrder()
    {
        Assert.That((await _h.InvokeAsync("scratchpad", new { path = "scratchpad.txt", note = "first", action = "write" })).Status, Is.EqualTo(ToolStatus.Success));
        await _h.InvokeAsync("scratchpad", new { path = "scratchpad.txt", note = "second", action = "write" });
        var read = await _h.InvokeAsync("scratchpad", new { path = "scratchpad.txt", note = "", action = "read" });
        Assert.That(read.Status, Is.EqualTo(ToolStatus.Success));
        Assert.That(read.Stdout, Is.EqualTo("first\nsecond\n"));
    }

    [Test]
    public async Task Scratchpad_DefaultsToScratchpadTxt()
    {
        await _h.InvokeAsync("scratchpad", new { note = "n", action = "write" });
        Assert.That(File.ReadAllText(_h.PathOf("scratchpad.txt")), Is.EqualTo("n\n"));
    }

    [Test]
    public async Task Scratchpad_BadAction_FailsNamingTheChoices()
    {
        var r = await _h.InvokeAsync("scratchpad", new { path = "s.txt", note = "x", action = "append" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("'write', 'read'"));
    }

    [Test]
    public async Task Scratchpad_WriteWithoutNote_Fails()
    {
        var r = await _h.InvokeAsync("scratchpad", new { action = "write" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
    }

    [Test]
    public async Task Scratchpad_PathEscape_IsRefused()
    {
        var r = await _h.InvokeAsync("scratchpad", new { path = "/etc/passwd", note = "", action = "read" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("outside the workspace"));
    }

    [Test]
    public async Task Scratchpad_LargeNotes_AreCappedForTheModel()
    {
        File.WriteAllText(_h.PathOf("scratchpad.txt"), "HEAD" + new string('x', 200_000) + "TAIL");
        var r = await _h.InvokeAsync("scratchpad", new { action = "read" });
        Assert.That(r.Stdout.Length, Is.LessThanOrEqualTo(ToolResult.DefaultModelTextChars));
        Assert.That(r.Stdout, Does.StartWith("HEAD").And.EndWith("TAIL").And.Contain("cut from the middle"));
    }

    [Test]
    public async Task Thought_EchoesTheThought_AndRejectsIllTypedArgument()
    {
        var r = await _h.InvokeAsync("thought", new { thought = "try a smaller lr" });
        Assert.That(r.Stdout, Is.EqualTo("try a smaller lr"));
        var bad = await _h.InvokeAsync("thought", new { thought = 42 });
        Assert.That(bad.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(bad.Stderr, Does.Contain("'thought' must be a string, not a number"));
    }
}
