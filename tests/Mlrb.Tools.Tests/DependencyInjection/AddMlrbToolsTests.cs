using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mlrb.Tools.Tests.DependencyInjection;

public class AddMlrbToolsTests
{
    private static readonly string[] ReferenceNames =
    [
        "run_python", "run_bash", "return_fn", "write_code", "insert_code", "replace_code", "delete_code", "scratchpad", "thought",
        "github_get_readme", "github_list_files", "github_get_file_code",
        "search_papers", "get_paper_details", "get_paper_abstract", "get_paper_citations", "download_paper",
    ];

    [Test]
    public void Factory_CreatesAll17ReferenceTools_InAStableOrder()
    {
        using var h = new ToolHarness();
        Assert.That(h.Tools.Select(t => t.Name), Is.EqualTo(ReferenceNames));
        foreach (var tool in h.Tools)
        {
            Assert.That(tool.Description, Is.Not.Empty, tool.Name);
            Assert.That(tool.JsonSchema.GetProperty("type").GetString(), Is.EqualTo("object"), tool.Name);
        }
    }

    [Test]
    public void ReferenceArgumentNames_AreKept()
    {
        using var h = new ToolHarness();
        string[] Props(string tool) => [.. h[tool].JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
        Assert.That(Props("run_python"), Does.Contain("filepath"));
        Assert.That(Props("run_bash"), Does.Contain("script"));
        Assert.That(Props("return_fn"), Does.Contain("submission").And.Contain("model_path"));
        Assert.That(Props("insert_code"), Does.Contain("path").And.Contain("target").And.Contain("new_code"));
        Assert.That(Props("replace_code"), Does.Contain("old_code").And.Contain("new_code"));
        Assert.That(Props("scratchpad"), Is.SupersetOf(new[] { "path", "note", "action" }));
        Assert.That(Props("github_get_file_code"), Is.EquivalentTo(new[] { "repo_url", "file_path" }));
        Assert.That(Props("get_paper_citations"), Does.Contain("paper_id"));
    }

    [Test]
    public void InvalidOptions_FailAtRegistration_NamingEachProblem()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddMlrbTools(o =>
        {
            o.DefaultProcessTimeout = TimeSpan.FromHours(3);
            o.MaxProcessTimeout = TimeSpan.FromHours(1);
            o.GitHubBaseAddress = new Uri("ftp://example.invalid/");
            o.LogFolder = "../logs";
        }));
        Assert.That(ex!.Failures, Has.Some.Contains("MaxProcessTimeout"));
        Assert.That(ex.Failures, Has.Some.Contains("GitHubBaseAddress"));
        Assert.That(ex.Failures, Has.Some.Contains("LogFolder"));
    }

    [Test]
    public void OptionsChangedAfterRegistration_AreValidatedWhenResolved()
    {
        var services = new ServiceCollection().AddMlrbTools();
        services.Configure<MlrbToolsOptions>(o => o.HttpMaxRetries = 99);
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IToolFactory>().CreateTools(new ToolContext { WorkspacePath = Path.GetTempPath() }));
        Assert.That(ex!.Message, Does.Contain("HttpMaxRetries"));
    }

    [Test]
    public void MissingWorkspace_IsReportedWithItsPath()
    {
        using var provider = new ServiceCollection().AddMlrbTools().BuildServiceProvider();
        var missing = Path.Combine(Path.GetTempPath(), "mlrb-missing-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<DirectoryNotFoundException>(() => provider.GetRequiredService<IToolFactory>().CreateTools(new ToolContext { WorkspacePath = missing }));
        Assert.That(ex!.Message, Does.Contain(missing));
    }
}
