using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Viewer;

/// <summary>The HTML exports through the real verbs: <c>mlrb eval --html</c> on a real tiny model, <c>mlrb results --html</c>, <c>mlrb view --export</c>.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ViewerCliTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = ViewerSeed.TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Eval_html_has_every_subtask_of_the_json_report_and_nothing_external()
    {
        var model = Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2");
        var data = Path.Combine(TestPaths.RepositoryRoot, "samples", "data");
        var results = Path.Combine(_folder, "results");
        var html = Path.Combine(_folder, "report.html");
        var (code, _, err) = CliInvoker.Run("eval", "--task", "baby_lm", "--model", model, "--data", data, "--output", results, "--html", html);
        Assert.That(code, Is.Zero, err);
        var report = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(results, "*.json").Single(f => !f.Contains("predictions", StringComparison.Ordinal))))!.AsObject();
        var subtasks = report["subtasks"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();
        Assert.That(subtasks, Is.Not.Empty);
        var text = File.ReadAllText(html);
        ViewerExportTests.AssertSelfContained(text);
        foreach (var name in subtasks)
        {
            Assert.That(text, Does.Contain($"<tr data-subtask=\"{name}\""), name);
        }
    }

    [Test]
    public async Task Results_html_and_view_export_write_self_contained_files()
    {
        var db = await ViewerSeed.CreateAsync(_folder);
        var results = Path.Combine(_folder, "results.html");
        var (code, _, err) = CliInvoker.Run("results", "--db", db, "--html", results);
        Assert.That(code, Is.Zero, err);
        var text = File.ReadAllText(results);
        ViewerExportTests.AssertSelfContained(text);
        Assert.That(Regex.Count(text, "<tr data-run=\""), Is.EqualTo(ViewerSeed.Finished.Length + 1), "every run, the pending one too");

        var run = Path.Combine(_folder, "run.html");
        (code, _, err) = CliInvoker.Run("view", "--db", db, "--export", ViewerSeed.DetailId, run);
        Assert.That(code, Is.Zero, err);
        ViewerExportTests.AssertSelfContained(File.ReadAllText(run));
        Assert.That(Regex.Count(File.ReadAllText(run), "<tr data-step="), Is.EqualTo(3));

        (code, _, err) = CliInvoker.Run("view", "--db", db, "--export", "no-such-run", run);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.Contain("no run 'no-such-run'"));
        (code, _, err) = CliInvoker.Run("view", "--db", Path.Combine(_folder, "missing.db"), "--export", "x", run);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("does not exist"));
    }
}
