using Microsoft.Extensions.Time.Testing;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.Workspaces;

public class WorkspaceFactoryTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = TestPaths.CreateTempDirectory("mlrb-ws");

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private WorkspaceFactory Factory(TimeProvider? time = null) => new(new WorkspaceOptions { RootDirectory = _root }, time);

    [Test]
    public async Task Create_MakesAFolderPerRun_WithAUniqueIdAndAScratchpad()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 16, 1, 2, TimeSpan.Zero));
        var task = TaskCatalog.Builtin.GetTask("baby_lm");

        var first = await Factory(time).CreateAsync(task);
        var second = await Factory(time).CreateAsync(task);

        Assert.That(first.RunId, Does.Match(@"^baby_lm-20261128-160102-[0-9a-f]{8}$"));
        Assert.That(second.RunId, Is.Not.EqualTo(first.RunId), "same task, same second: still two runs");
        Assert.That(first.RootPath, Is.EqualTo(Path.Combine(_root, first.RunId)));
        Assert.That(Directory.Exists(first.RootPath) && Directory.Exists(second.RootPath), Is.True);
        Assert.That(first.ScratchpadPath, Is.EqualTo(Path.Combine(first.RootPath, "scratchpad.txt")));
        Assert.That(await File.ReadAllTextAsync(first.ScratchpadPath), Does.Contain(first.RunId).And.Contain("baby_lm"));
        Assert.That(first.StarterFiles, Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(_root), Has.Length.EqualTo(2), "no staging folders left behind");
    }

    [Test]
    public async Task Create_ManyAtOnce_GivesDistinctFolders()
    {
        var task = TaskCatalog.Builtin.GetTask("mini_pile");
        var factory = Factory();

        var workspaces = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => factory.CreateAsync(task))));

        Assert.That(workspaces.Select(w => w.RootPath).Distinct().Count(), Is.EqualTo(32));
    }

    [Test]
    public async Task Create_WithRunId_UsesIt_AndNeverReusesAFolder()
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm");
        var factory = Factory();

        var workspace = await factory.CreateAsync(task, "my-run_1");

        Assert.That(workspace.RootPath, Is.EqualTo(Path.Combine(_root, "my-run_1")));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.CreateAsync(task, "my-run_1"));
        Assert.That(ex!.Message, Does.Contain("my-run_1").And.Contain("already exists"));
    }

    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase(".hidden")]
    [TestCase("")]
    public async Task Create_WithUnsafeRunId_IsRejected(string runId)
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm");

        await Assert.ThrowsAsync<ArgumentException>(() => Factory().CreateAsync(task, runId));
        Assert.That(Directory.EnumerateFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public async Task LlmMerging_GetsTheKitInLlmMergingFolder()
    {
        var workspace = await Factory().CreateAsync(TaskCatalog.Builtin.GetTask("llm_merging"));

        Assert.That(workspace.StarterFiles, Is.EquivalentTo(new[]
        {
            "llm_merging/README.md", "llm_merging/__init__.py", "llm_merging/main.py", "llm_merging/merging/__init__.py",
            "llm_merging/merging/average.py", "llm_merging/merging/checkpoint.py", "llm_merging/merging/merges.py",
        }));
        foreach (var file in workspace.StarterFiles)
        {
            Assert.That(new FileInfo(Path.Combine(workspace.RootPath, file)).Length, Is.GreaterThan(0), file);
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(workspace.RootPath, "llm_merging", "README.md"));
        Assert.That(readme, Does.Contain("Merges").And.Contain("main.py").And.Contain("@register"));
    }

    [Test]
    public async Task MiniLlmMerging_GetsTheKitToo()
    {
        var workspace = await Factory().CreateAsync(TaskCatalog.Builtin.GetTask("mini_llm_merging"));

        Assert.That(File.Exists(Path.Combine(workspace.RootPath, "llm_merging", "merging", "merges.py")), Is.True);
    }

    [Test]
    public async Task UnknownStarterKit_IsAClearError()
    {
        var task = TaskCatalog.Builtin.GetTask("baby_lm") with { StarterKit = "no_such_kit" };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Factory().CreateAsync(task));
        Assert.That(ex!.Message, Does.Contain("no_such_kit").And.Contain("llm_merging"));
    }

    [Test]
    public async Task ToPromptContext_PointsPromptsAtTheWorkspace()
    {
        var task = TaskCatalog.Builtin.GetTask("llm_merging");
        var workspace = await Factory().CreateAsync(task);

        var prompt = new PromptRenderer().RenderTaskPrompt(task, workspace.ToPromptContext());

        Assert.That(prompt, Does.Contain(Path.Combine(workspace.RootPath, "llm_merging")));
        Assert.That(Directory.Exists(Path.Combine(workspace.RootPath, "llm_merging", "merging")), Is.True, "the path the prompt names exists");
    }
}
