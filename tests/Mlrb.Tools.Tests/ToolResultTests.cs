using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Tests;

public class ToolResultTests
{
    [Test]
    public void ModelText_ShowsStatusExitCodeAndBothStreams()
    {
        var r = new ToolResult { Tool = "run_bash", Status = ToolStatus.Failure, Stdout = "out", Stderr = "err", ExitCode = 2 };
        Assert.That(r.ToModelText(), Is.EqualTo("run_bash: failure (exit code 2)\nstdout:\nout\nstderr:\nerr\n"));
    }

    [Test]
    public void ModelText_OfASimpleAnswer_HasNoStreamLabels()
    {
        Assert.That(ToolResult.Ok("thought", "hmm").ToModelText(), Is.EqualTo("thought: success\nhmm\n"));
        Assert.That(ToolResult.Failure("x", "bad").ToModelText(), Is.EqualTo("x: failure\nbad\n"));
        Assert.That(new ToolResult { Tool = "run_bash", Status = ToolStatus.TimedOut }.ToModelText(), Is.EqualTo("run_bash: timed out\n"));
    }

    [Test]
    public void ModelText_IsCapped_KeepingHeadAndTail()
    {
        var big = "BEGIN" + new string('x', 100_000) + "\n" + new string('y', 100_000) + "END";
        var text = ToolResult.Ok("t", big).ToModelText(5_000);
        Assert.That(text.Length, Is.LessThanOrEqualTo(5_000));
        Assert.That(text, Does.StartWith("t: success\nBEGIN").And.Contain("END"));
        Assert.That(text, Does.Match(@"\[\.\.\. \d+ characters \(1 lines\) cut from the middle \.\.\.\]"));
    }

    [Test]
    public void ModelText_NamesTheLogWhenOutputWasCut()
    {
        var r = new ToolResult { Tool = "run_python", Status = ToolStatus.Success, Stdout = "x", ExitCode = 0, Truncated = true, LogPath = ".mlrb/logs/a.log" };
        Assert.That(r.ToModelText(), Does.Contain("(full output in .mlrb/logs/a.log)"));
    }
}
