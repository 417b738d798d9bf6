using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Tests.Code;

public class CodeToolsTests
{
    private ToolHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new ToolHarness(o => o.Sandbox = SandboxMode.None);

    [TearDown]
    public void TearDown() => _h.Dispose();

    [Test]
    public async Task WriteCode_CreatesFoldersAndFile_AndDoesNotEchoTheCode()
    {
        var code = "import torch\nprint('secret-marker')\n";
        var r = await _h.InvokeAsync("write_code", new { path = "src/train.py", code });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.ReadAllText(_h.PathOf("src/train.py")), Is.EqualTo(code));
        Assert.That(r.Stdout, Does.Contain("src/train.py").And.Contain("2 lines"));
        Assert.That(r.Stdout, Does.Not.Contain("secret-marker"));
    }

    [Test]
    public async Task WriteCode_OutsideWorkspace_IsRefused_AndWritesNothing()
    {
        var target = Path.Combine(Path.GetDirectoryName(_h.Workspace)!, $"escaped-{Guid.NewGuid():N}.py");
        var r = await _h.InvokeAsync("write_code", new { path = "../" + Path.GetFileName(target), code = "x" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("outside the workspace"));
        Assert.That(File.Exists(target), Is.False);
    }

    [Test]
    public async Task WriteCode_MissingArgument_FailsWithItsName()
    {
        var r = await _h.InvokeAsync("write_code", new { path = "a.py" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("missing required argument 'code'"));
    }

    [Test]
    public async Task InsertCode_InsertsAfterTheTargetLine()
    {
        File.WriteAllText(_h.PathOf("a.py"), "import os\nprint(1)\n");
        var r = await _h.InvokeAsync("insert_code", new { path = "a.py", target = "import os", new_code = "import sys" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("import os\nimport sys\nprint(1)\n"));
    }

    [Test]
    public async Task InsertCode_MidLineTarget_InsertsRightAfterIt()
    {
        File.WriteAllText(_h.PathOf("a.py"), "x = f(a)\n");
        await _h.InvokeAsync("insert_code", new { path = "a.py", target = "f(a", new_code = ", b" });
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("x = f(a, b)\n"));
    }

    [Test]
    public async Task InsertCode_TargetAbsent_Fails_AndLeavesFileUnchanged()
    {
        File.WriteAllText(_h.PathOf("a.py"), "print(1)\n");
        var r = await _h.InvokeAsync("insert_code", new { path = "a.py", target = "nope", new_code = "x" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("not found"));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("print(1)\n"));
    }

    [Test]
    public async Task InsertCode_MissingFile_FailsInsteadOfCreatingIt()
    {
        var r = await _h.InvokeAsync("insert_code", new { path = "missing.py", target = "a", new_code = "b" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("does not exist"));
        Assert.That(File.Exists(_h.PathOf("missing.py")), Is.False);
    }

    [Test]
    public async Task InsertCode_SeveralOccurrences_FailsUnlessAll()
    {
        File.WriteAllText(_h.PathOf("a.py"), "pass\npass\n");
        var r = await _h.InvokeAsync("insert_code", new { path = "a.py", target = "pass", new_code = "# x" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("occurs 2 times").And.Contain("lines 1, 2"));
        var all = await _h.InvokeAsync("insert_code", new { path = "a.py", target = "pass", new_code = "# x", all_occurrences = true });
        Assert.That(all.Status, Is.EqualTo(ToolStatus.Success), all.Stderr);
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("pass\n# x\npass\n# x\n"));
    }

    [Test]
    public async Task ReplaceCode_ReplacesTheUniqueOccurrence()
    {
        File.WriteAllText(_h.PathOf("a.py"), "lr = 0.1\nepochs = 3\n");
        var r = await _h.InvokeAsync("replace_code", new { path = "a.py", old_code = "lr = 0.1", new_code = "lr = 3e-4" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("lr = 3e-4\nepochs = 3\n"));
    }

    [Test]
    public async Task ReplaceCode_Absent_Fails()
    {
        File.WriteAllText(_h.PathOf("a.py"), "x = 1\n");
        var r = await _h.InvokeAsync("replace_code", new { path = "a.py", old_code = "y = 2", new_code = "z" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("x = 1\n"));
    }

    [Test]
    public async Task ReplaceCode_Ambiguous_FailsUnlessAll()
    {
        File.WriteAllText(_h.PathOf("a.py"), "a = 1\nb = 1\n");
        var r = await _h.InvokeAsync("replace_code", new { path = "a.py", old_code = "= 1", new_code = "= 2" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("a = 1\nb = 1\n"));
        r = await _h.InvokeAsync("replace_code", new { path = "a.py", old_code = "= 1", new_code = "= 2", all_occurrences = true });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success));
        Assert.That(r.Stdout, Does.Contain("2 occurrences"));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("a = 2\nb = 2\n"));
    }

    [Test]
    public async Task DeleteCode_DeletesUnique_FailsOnAbsentAndAmbiguous()
    {
        File.WriteAllText(_h.PathOf("a.py"), "keep\n# debug\nkeep\n");
        var ok = await _h.InvokeAsync("delete_code", new { path = "a.py", target = "# debug\n" });
        Assert.That(ok.Status, Is.EqualTo(ToolStatus.Success), ok.Stderr);
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("keep\nkeep\n"));
        var absent = await _h.InvokeAsync("delete_code", new { path = "a.py", target = "# debug" });
        Assert.That(absent.Status, Is.EqualTo(ToolStatus.Failure));
        var ambiguous = await _h.InvokeAsync("delete_code", new { path = "a.py", target = "keep\n" });
        Assert.That(ambiguous.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.EqualTo("keep\nkeep\n"));
        var all = await _h.InvokeAsync("delete_code", new { path = "a.py", target = "keep\n", all_occurrences = true });
        Assert.That(all.Status, Is.EqualTo(ToolStatus.Success));
        Assert.That(File.ReadAllText(_h.PathOf("a.py")), Is.Empty);
    }

    [Test]
    public async Task EditTools_RefuseSymlinkLeadingOut()
    {
        var outside = Mlrb.Testing.TestPaths.CreateTempDirectory("mlrb-out");
        try
        {
            File.WriteAllText(Path.Combine(outside, "victim.py"), "x = 1\n");
            Directory.CreateSymbolicLink(_h.PathOf("link"), outside);
            var r = await _h.InvokeAsync("replace_code", new { path = "link/victim.py", old_code = "x = 1", new_code = "x = 2" });
            Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
            Assert.That(r.Stderr, Does.Contain("symbolic link"));
            Assert.That(File.ReadAllText(Path.Combine(outside, "victim.py")), Is.EqualTo("x = 1\n"));
        }
        finally
        {
            Directory.Delete(outside, true);
        }
    }
}
