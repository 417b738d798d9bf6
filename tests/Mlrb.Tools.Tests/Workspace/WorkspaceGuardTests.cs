using Mlrb.Testing;
using Mlrb.Tools.Workspace;

namespace Mlrb.Tools.Tests.Workspace;

public class WorkspaceGuardTests
{
    private string _root = null!;
    private string _outside = null!;
    private WorkspaceGuard _guard = null!;

    [SetUp]
    public void SetUp()
    {
        _root = TestPaths.CreateTempDirectory("mlrb-guard");
        _outside = TestPaths.CreateTempDirectory("mlrb-outside");
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
        _guard = new WorkspaceGuard(_root);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_root, true);
        Directory.Delete(_outside, true);
    }

    [TestCase("train.py")]
    [TestCase("models/best/model.bin")]
    [TestCase("./a/../b.txt")]
    [TestCase(".")]
    public void RelativePathsInside_Resolve(string path)
    {
        Assert.That(_guard.TryResolve(path, out var full, out var error), Is.True, error);
        Assert.That(full, Is.EqualTo(Path.GetFullPath(path, _guard.Root).TrimEnd('/')));
    }

    [Test]
    public void AbsolutePathInside_Resolves()
    {
        var inside = Path.Combine(_root, "x", "y.txt");
        Assert.That(_guard.TryResolve(inside, out var full, out _), Is.True);
        Assert.That(full, Is.EqualTo(Path.Combine(_guard.Root, "x", "y.txt")));
    }

    [TestCase("../x.txt")]
    [TestCase("a/../../x.txt")]
    [TestCase("../../../../../../etc/passwd")]
    public void DotDotOutside_IsRefused(string path)
    {
        Assert.That(_guard.TryResolve(path, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("outside the workspace"));
        Assert.That(error, Does.Contain(path));
    }

    [Test]
    public void AbsolutePathOutside_IsRefused()
    {
        Assert.That(_guard.TryResolve(Path.Combine(_outside, "secret.txt"), out _, out var error), Is.False);
        Assert.That(error, Does.Contain("outside the workspace"));
        Assert.That(_guard.TryResolve("/etc/passwd", out _, out _), Is.False);
    }

    [Test]
    public void SiblingWithSharedPrefix_IsRefused()
    {
        // /tmp/ws-abc must not accept /tmp/ws-abcdef/...
        var sibling = _root + "def";
        Directory.CreateDirectory(sibling);
        try
        {
            Assert.That(_guard.TryResolve(Path.Combine(sibling, "f"), out _, out _), Is.False);
        }
        finally
        {
            Directory.Delete(sibling);
        }
    }

    [Test]
    public void SymlinkedFolderLeadingOut_IsRefused_ForExistingAndNewFiles()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        Assert.That(_guard.TryResolve("escape/secret.txt", out _, out var error), Is.False);
        Assert.That(error, Does.Contain("symbolic link"));
        Assert.That(_guard.TryResolve("escape/new/file.txt", out _, out _), Is.False);
        Assert.That(_guard.TryResolve("escape", out _, out _), Is.False);
    }

    [Test]
    public void SymlinkedFileLeadingOut_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), Path.Combine(_outside, "secret.txt"));
        Assert.That(_guard.TryResolve("link.txt", out _, out var error), Is.False);
        Assert.That(error, Does.Contain("symbolic link"));
    }

    [Test]
    public void DanglingSymlink_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "dangling.txt"), Path.Combine(_outside, "not-yet.txt"));
        Assert.That(_guard.TryResolve("dangling.txt", out _, out var error), Is.False);
        Assert.That(error, Does.Contain("does not exist"));
    }

    [Test]
    public void SymlinkStayingInside_Resolves_ToItsTarget()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "real"));
        Assert.That(_guard.TryResolve("alias/f.txt", out var full, out var error), Is.True, error);
        Assert.That(full, Is.EqualTo(Path.Combine(_guard.Root, "real", "f.txt")));
    }

    [Test]
    public void WorkspaceGivenThroughASymlink_StillConfines()
    {
        var linkToRoot = Path.Combine(_outside, "ws-link");
        Directory.CreateSymbolicLink(linkToRoot, _root);
        var guard = new WorkspaceGuard(linkToRoot);
        Assert.That(guard.TryResolve(Path.Combine(linkToRoot, "a.txt"), out var full, out var error), Is.True, error);
        Assert.That(full, Is.EqualTo(Path.Combine(_guard.Root, "a.txt")));
        Assert.That(guard.TryResolve("../secret.txt", out _, out _), Is.False);
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("a\0b")]
    public void EmptyOrNul_IsRefused(string path) =>
        Assert.That(_guard.TryResolve(path, out _, out _), Is.False);

    [Test]
    public void MissingWorkspace_Throws_WithThePath()
    {
        var missing = Path.Combine(_root, "nope");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => _ = new WorkspaceGuard(missing));
        Assert.That(ex!.Message, Does.Contain(missing));
    }
}
