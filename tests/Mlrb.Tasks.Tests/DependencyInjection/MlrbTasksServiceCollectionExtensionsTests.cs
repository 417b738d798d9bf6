using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Tasks.Storage;
using Mlrb.Tasks.Tests.Loading;
using Mlrb.Testing;

namespace Mlrb.Tasks.Tests.DependencyInjection;

public class MlrbTasksServiceCollectionExtensionsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-di");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task AddMlrbTasks_WiresCatalogRendererWorkspacesAndStore()
    {
        var taskDir = Directory.CreateDirectory(Path.Combine(_dir, "tasks")).FullName;
        File.WriteAllText(Path.Combine(taskDir, "tiny.yaml"), TaskFileTests.ValidYaml);
        var db = Path.Combine(_dir, "db", "runs.db");
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)))
            .AddMlrbTasks(o =>
            {
                o.TaskDirectories.Add(taskDir);
                o.WorkspaceRoot = Path.Combine(_dir, "runs");
                o.DatabasePath = db;
                o.ScratchpadFileName = "notes.md";
            });

        await using (var provider = services.BuildServiceProvider())
        {
            var catalog = provider.GetRequiredService<ITaskCatalog>();
            var task = catalog.GetTask("tiny_lm");
            var workspace = await provider.GetRequiredService<IWorkspaceFactory>().CreateAsync(task);
            var prompt = provider.GetRequiredService<IPromptRenderer>().RenderWorkerSystemPrompt(task, workspace.ToPromptContext());
            var store = provider.GetRequiredService<IRunStore>();
            await store.CreateRunAsync(new RunRecord { RunId = workspace.RunId, TaskName = task.Name, WorkspacePath = workspace.RootPath, StartedAt = DateTimeOffset.UtcNow });

            Assert.That(catalog.Tasks, Has.Count.EqualTo(14));
            Assert.That(workspace.RunId, Does.StartWith("tiny_lm-20300102-030405-"));
            Assert.That(workspace.RootPath, Does.StartWith(Path.Combine(_dir, "runs")));
            Assert.That(workspace.ScratchpadPath, Does.EndWith("notes.md"));
            Assert.That(prompt, Does.Contain(Path.Combine(workspace.RootPath, "notes.md")).And.Contain("1 hour 30 minutes"));
            Assert.That(provider.GetRequiredService<ITaskCatalog>(), Is.SameAs(catalog));
            Assert.That(await store.GetRunAsync(workspace.RunId), Is.Not.Null);
        }

        Assert.DoesNotThrow(() => File.Move(db, db + ".moved"), "disposing the container closes the database");
    }

    [Test]
    public void SynchronousDispose_ClosesTheStoreToo()
    {
        var db = Path.Combine(_dir, "sync.db");
        using (var provider = new ServiceCollection().AddMlrbTasks(o => o.DatabasePath = db).BuildServiceProvider())
        {
            _ = provider.GetRequiredService<IRunStore>();
        }

        Assert.DoesNotThrow(() => File.Move(db, db + ".moved"));
    }

    [Test]
    public void Defaults_AreTheBuiltinCatalog()
    {
        using var provider = new ServiceCollection().AddMlrbTasks().BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ITaskCatalog>(), Is.SameAs(TaskCatalog.Builtin));
        Assert.That(provider.GetRequiredService<MlrbTasksOptions>().DatabasePath, Is.EqualTo(Path.Combine("runs", "mlrb.db")));
    }

    [Test]
    public void InvalidOptions_FailAtFirstResolution_NamingEveryProblem()
    {
        var missing = Path.Combine(_dir, "no-such-tasks");
        using var provider = new ServiceCollection()
            .AddMlrbTasks(o =>
            {
                o.DatabasePath = " ";
                o.ScratchpadFileName = "../notes.md";
                o.TaskDirectories.Add(string.Empty);
                o.TaskDirectories.Add(missing);
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ITaskCatalog>())!;

        Assert.That(error.Failures, Has.Count.EqualTo(4));
        Assert.That(error.Message, Does.Contain("MlrbTasksOptions.DatabasePath").And.Contain("MlrbTasksOptions.ScratchpadFileName")
            .And.Contain("empty folder name").And.Contain(missing));
    }

    [Test]
    public async Task InvalidOptions_FailWhenAHostStarts()
    {
        var services = new ServiceCollection().AddMlrbTasks(o => o.WorkspaceRoot = string.Empty);
        await using var provider = services.BuildServiceProvider();

        // What IHost.StartAsync runs for ValidateOnStart: the registered start-up validator.
        var startup = provider.GetRequiredService<IStartupValidator>();

        var error = Assert.Throws<OptionsValidationException>(() => startup.Validate())!;
        Assert.That(error.Message, Does.Contain("MlrbTasksOptions.WorkspaceRoot"));
    }

    [Test]
    public void OptionsConfiguredLater_AreTheOnesUsed()
    {
        var db = Path.Combine(_dir, "later.db");
        using var provider = new ServiceCollection()
            .AddMlrbTasks()
            .Configure<MlrbTasksOptions>(o => o.DatabasePath = db)
            .BuildServiceProvider();

        _ = provider.GetRequiredService<IRunStore>();

        Assert.That(File.Exists(db), Is.True);
    }
}
