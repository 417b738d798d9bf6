using System.Globalization;
using System.Text.RegularExpressions;
using Mlrb.Cli.Viewer;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Svg;
using Mlrb.Tasks.Results;

namespace Mlrb.Cli.Tests.Viewer;

/// <summary>Self-contained exports (run, results, evaluation report) and the SVG chart's geometry.</summary>
[TestFixture]
public sealed class ViewerExportTests
{
    private string _folder = null!;
    private string _db = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _folder = ViewerSeed.TempFolder();
        _db = await ViewerSeed.CreateAsync(_folder);
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_folder, recursive: true);

    /// <summary>Anything that would make a browser fetch: src/href to a URL, url(), @import, link elements, scripts.</summary>
    public static void AssertSelfContained(string html)
    {
        Assert.That(html, Does.Not.Match("(?i)<script"), "no script");
        Assert.That(html, Does.Not.Match("(?i)<link[\\s>]"), "no linked resources");
        Assert.That(html, Does.Not.Match("(?i)<[a-z][^>]*\\s(src|href|action|poster|srcset|xlink:href)\\s*="), "no element attribute that loads or navigates");
        Assert.That(html, Does.Not.Match("(?i)url\\s*\\(|@import"), "no CSS fetches");
        Assert.That(html, Does.Contain("default-src 'none'"), "a meta CSP that blocks every fetch");
        var withoutNamespaces = html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal);
        Assert.That(withoutNamespaces, Does.Not.Match("(?i)https?://"), "no absolute URL anywhere");
    }

    [Test]
    public void Run_export_has_every_step_and_message_encoded_and_nothing_external()
    {
        var html = ViewerExports.Run(ViewerStore.Open(_db), ViewerSeed.DetailId)!;
        AssertSelfContained(html);
        Assert.That(Regex.Count(html, "<tr data-step="), Is.EqualTo(3));
        Assert.That(Regex.Count(html, "<div class=\"msg (system|assistant|tool)\" id=\"m"), Is.EqualTo(3));
        Assert.That(html, Does.Contain("STEP-MARKER &lt;script&gt;").And.Contain("TRANSCRIPT-MARKER &lt;script&gt;"));
        Assert.That(html, Does.Contain("<svg class=\"chart line-chart\""));
        Assert.That(ViewerExports.Run(ViewerStore.Open(_db), "no-such-run"), Is.Null);
    }

    [Test]
    public void Results_export_has_every_run_and_one_bar_per_task_and_agent()
    {
        var store = ViewerStore.Open(_db);
        var html = ViewerExports.Results(ResultsLedger.Summarize(store.ListRuns()), store.DatabasePath);
        AssertSelfContained(html);
        foreach (var run in store.ListRuns())
        {
            Assert.That(html, Does.Contain($"<tr data-run=\"{run.RunId}\""), run.RunId);
        }

        Assert.That(Regex.Count(html, "<rect class=\"bar "), Is.EqualTo(4));
    }

    [Test]
    public void Eval_report_export_has_every_subtask_and_nothing_external()
    {
        var names = Enumerable.Range(0, 67).Select(i => ($"blimp_subtask_{i:00}", (i % 10) / 10.0)).ToArray();
        var html = ViewerExports.Report(ViewerSeed.Report("baby_lm", "blimp", names));
        AssertSelfContained(html);
        foreach (var (name, _) in names)
        {
            Assert.That(html, Does.Contain($"<tr data-subtask=\"{name}\""), name);
        }

        Assert.That(html, Does.Contain("total_parameters"));
    }

    [Test]
    public void Bar_heights_are_proportional_to_means_on_the_drawn_axis()
    {
        var groups = new[]
        {
            new BarGroup("t1", [new Bar("a", 0.8, 0.05, [0.75, 0.85]), new Bar("b", 0.25, null, [0.25])]),
            new BarGroup("t2", [new Bar("a", 0.5, 0.1, [0.4, 0.6])]),
        };
        var svg = SvgBarChart.Render(groups, "score", "t");
        var plot = Regex.Match(svg, "data-plot-height=\"([0-9.]+)\" data-y-max=\"([0-9.E+-]+)\"");
        var plotHeight = double.Parse(plot.Groups[1].Value, CultureInfo.InvariantCulture);
        var yMax = double.Parse(plot.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.That(yMax, Is.EqualTo(1.0));
        var bars = Regex.Matches(svg, "<rect class=\"bar s[0-9]\" x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" data-group=\"([^\"]+)\" data-series=\"([^\"]+)\"");
        var expected = new Dictionary<string, double> { ["t1/a"] = 0.8, ["t1/b"] = 0.25, ["t2/a"] = 0.5 };
        Assert.That(bars.Count, Is.EqualTo(3));
        foreach (Match bar in bars)
        {
            var key = bar.Groups[3].Value + "/" + bar.Groups[4].Value;
            var height = double.Parse(bar.Groups[2].Value, CultureInfo.InvariantCulture);
            var y = double.Parse(bar.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.That(height, Is.EqualTo(expected[key] / yMax * plotHeight).Within(0.01), key);
            Assert.That(y + height, Is.EqualTo(plotHeight).Within(0.01), key + " stands on the x axis");
        }

        Assert.That(Regex.Count(svg, "<circle class=\"pt\""), Is.EqualTo(5), "one dot per run");
        Assert.That(Regex.Count(svg, "<path class=\"err\""), Is.EqualTo(2), "error bars where SEM > 0");
    }

    [Test]
    public void Axis_extends_past_one_for_larger_scores()
    {
        var svg = SvgBarChart.Render([new BarGroup("t", [new Bar("a", 3.7, 0.4, [])])], "score", "t");
        var yMax = double.Parse(Regex.Match(svg, "data-y-max=\"([0-9.]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(yMax, Is.GreaterThanOrEqualTo(4.1).And.LessThanOrEqualTo(5));
    }

    [Test]
    public void Chart_labels_are_encoded()
    {
        var svg = SvgBarChart.Render([new BarGroup("<b>t</b>", [new Bar("a&\"b", 0.5, null, [])])], "score", "<t>");
        Assert.That(svg, Does.Not.Contain("<b>t</b>").And.Not.Contain("a&\"b"));
        Assert.That(svg, Does.Contain("&lt;b&gt;t&lt;/b&gt;"));
    }
}
