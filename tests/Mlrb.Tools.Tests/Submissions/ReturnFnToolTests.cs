using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Tests.Submissions;

public class ReturnFnToolTests
{
    private ToolHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new ToolHarness(o => o.Sandbox = SandboxMode.None);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task ExistingModel_GivesATypedSubmission_FromJsonMetrics()
    {
        Directory.CreateDirectory(_h.PathOf("model"));
        var r = await _h.InvokeAsync("return_fn", new { submission = "{\"val_loss\": 3.1, \"accuracy\": \"0.52\"}", model_path = "model" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Submission, Is.Not.Null);
        Assert.That(r.Submission!.Metrics, Is.EquivalentTo(new Dictionary<string, string> { ["val_loss"] = "3.1", ["accuracy"] = "0.52" }));
        Assert.That(r.Submission.ModelPath, Is.EqualTo(Path.Combine(new Mlrb.Tools.Workspace.WorkspaceGuard(_h.Workspace).Root, "model")));
        Assert.That(r.Submission.Summary, Does.Contain("val_loss"));
    }

    [Test]
    public async Task ExplicitMetrics_TakePrecedence()
    {
        File.WriteAllText(_h.PathOf("m.bin"), "x");
        var r = await _h.InvokeJsonAsync("return_fn", """{"submission":"done","model_path":"m.bin","metrics":{"perplexity":12.5,"ok":true}}""");
        Assert.That(r.Submission!.Metrics["perplexity"], Is.EqualTo("12.5"));
        Assert.That(r.Submission.Metrics["ok"], Is.EqualTo("true"));
    }

    [Test]
    public async Task PlainTextPairs_AreParsed()
    {
        File.WriteAllText(_h.PathOf("m.bin"), "x");
        var r = await _h.InvokeAsync("return_fn", new { submission = "val_loss: 3.2, accuracy=0.4", model_path = "m.bin" });
        Assert.That(r.Submission!.Metrics, Is.EquivalentTo(new Dictionary<string, string> { ["val_loss"] = "3.2", ["accuracy"] = "0.4" }));
    }

    [Test]
    public async Task MissingModel_Fails_WithoutSubmission()
    {
        var r = await _h.InvokeAsync("return_fn", new { submission = "loss 1", model_path = "nope/model.pt" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Submission, Is.Null);
        Assert.That(r.Stderr, Does.Contain("does not exist"));
    }

    [Test]
    public async Task ModelOutsideWorkspace_IsRefused()
    {
        var r = await _h.InvokeAsync("return_fn", new { submission = "x", model_path = "/etc" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("outside the workspace"));
    }

    [Test]
    public async Task IllTypedMetrics_AreRefused()
    {
        File.WriteAllText(_h.PathOf("m.bin"), "x");
        var r = await _h.InvokeJsonAsync("return_fn", """{"submission":"x","model_path":"m.bin","metrics":{"a":[1,2]}}""");
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("'metrics.a' must be a string, a number or a boolean"));
    }
}
