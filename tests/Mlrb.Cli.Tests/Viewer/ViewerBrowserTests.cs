using System.Globalization;
using Mlrb.Cli.Viewer;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Hosting;
using Mlrb.Tasks.Results;
using Mlrb.Tasks.Storage;
using Mlrb.Testing;
using PuppeteerSharp;

namespace Mlrb.Cli.Tests.Viewer;

/// <summary>
/// The viewer in a real headless Chromium (Debian's <c>chromium</c>, driven over CDP by PuppeteerSharp; never a downloaded
/// browser). Screenshots of each page go to <c>artifacts/viewer/</c> under the test output and are attached to the results.
/// Skipped, with the reason, when Chromium is not installed.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Browser")]
public sealed class ViewerBrowserTests
{
    private string _folder = null!;
    private string _db = null!;
    private ViewerServer? _server;
    private IBrowser? _browser;

    private static string? ChromiumPath() =>
        new[] { Environment.GetEnvironmentVariable("MLRB_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var chromium = ChromiumPath();
        if (chromium is null)
        {
            Assert.Ignore("Chromium is not installed (apt-get install chromium, or set MLRB_CHROMIUM); the browser tests need a real browser.");
        }

        _folder = ViewerSeed.TempFolder();
        _db = await ViewerSeed.CreateAsync(_folder);
        var results = Directory.CreateDirectory(Path.Combine(_folder, "results")).FullName;
        File.WriteAllText(Path.Combine(results, "baby_lm-a.json"), ViewerSeed.Report("baby_lm", "blimp", [("anaphor_gender_agreement", 0.91), ("adjunct_island", 0.55), ("wh_island", 0.42)]).ToJsonString());
        File.WriteAllText(Path.Combine(results, "baby_lm-b.json"), ViewerSeed.Report("baby_lm", "blimp", [("anaphor_gender_agreement", 0.88), ("adjunct_island", 0.61), ("wh_island", 0.47)]).ToJsonString());
        _server = await ViewerServer.StartAsync(new ViewerOptions { DatabasePath = _db, ResultsPath = results, Port = 0 });
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await _browser!.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(new Uri(_server!.Url, path).ToString(), WaitUntilNavigation.Load);
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "artifacts", "viewer")).FullName;
        var file = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(file, new ScreenshotOptions { FullPage = false });
        TestContext.AddTestAttachment(file, name);
    }

    [Test]
    public async Task Runs_list_shows_the_seeded_runs()
    {
        await using var page = await OpenAsync("/");
        var ids = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#runs tbody tr')].map(r => r.dataset.run)");
        var expected = Enumerable.Range(0, ViewerSeed.Finished.Length).Select(i => $"run-{i:00}").Append(ViewerSeed.RunningId);
        Assert.That(ids, Is.EquivalentTo(expected));
        await ScreenshotAsync(page, "runs");
    }

    [Test]
    public async Task Run_page_shows_steps_and_transcript_and_hostile_output_stays_text()
    {
        await using var page = await OpenAsync($"/runs/{ViewerSeed.DetailId}");
        Assert.That(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#steps tbody tr').length"), Is.EqualTo(3));
        Assert.That(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.msg[id^=m]').length"), Is.EqualTo(3));
        Assert.That(await page.EvaluateExpressionAsync<bool>("window.__xss === undefined"), Is.True, "the injected script must not run");
        Assert.That(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#steps img, .msg img').length"), Is.Zero, "no injected element");
        var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        Assert.That(text, Does.Contain("STEP-MARKER " + ViewerSeed.Hostile));
        Assert.That(text, Does.Contain("TRANSCRIPT-MARKER " + ViewerSeed.Hostile));
        await ScreenshotAsync(page, "run");
    }

    [Test]
    public async Task Results_chart_has_one_bar_per_task_and_agent_with_the_right_height()
    {
        await using var page = await OpenAsync("/results");
        var plotHeight = await page.EvaluateExpressionAsync<double>("Number(document.querySelector('svg.bar-chart g.plot').dataset.plotHeight)");
        var yMax = await page.EvaluateExpressionAsync<double>("Number(document.querySelector('svg.bar-chart g.plot').dataset.yMax)");
        var bars = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('svg.bar-chart rect.bar')].map(r => r.dataset.group + '|' + r.dataset.series + '|' + r.getAttribute('height') + '|' + r.getBBox().height)");

        // Expected means from the seed itself: failed runs count 0 (finished runs only; the running run is pending).
        var expected = ViewerSeed.Finished.GroupBy(r => $"{r.Task}|{r.Agent}").ToDictionary(g => g.Key, g => g.Average(r => r.Score ?? 0));
        Assert.That(bars, Has.Length.EqualTo(expected.Count));
        foreach (var bar in bars)
        {
            var parts = bar.Split('|');
            var key = parts[0] + "|" + parts[1];
            Assert.That(expected.ContainsKey(key), key);
            var height = double.Parse(parts[2], CultureInfo.InvariantCulture);
            Assert.That(height, Is.EqualTo(expected[key] / yMax * plotHeight).Within(0.01), key);
            Assert.That(double.Parse(parts[3], CultureInfo.InvariantCulture), Is.EqualTo(height).Within(0.01), key + " is drawn at that height");
        }

        await ScreenshotAsync(page, "results");
    }

    [Test]
    public async Task Report_and_compare_pages_render()
    {
        await using var page = await OpenAsync("/reports/baby_lm-a.json");
        Assert.That(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('tr[data-subtask]').length"), Is.EqualTo(3));
        await ScreenshotAsync(page, "report");
        await page.GoToAsync(new Uri(_server!.Url, "/compare?a=baby_lm-a.json&b=baby_lm-b.json").ToString());
        var diff = await page.EvaluateExpressionAsync<string>("document.querySelector('#compare-subtasks tr[data-name=adjunct_island] td:last-child').textContent");
        Assert.That(diff, Is.EqualTo("+0.0600"));
        await ScreenshotAsync(page, "compare");
    }

    [Test]
    public async Task Live_run_page_picks_up_a_step_written_while_it_is_open()
    {
        await using var page = await OpenAsync($"/runs/{ViewerSeed.RunningId}");
        var before = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#steps tbody tr').length");
        await using (var store = await RunStoreFactory.OpenSqliteAsync(_db))
        {
            await store.AddStepAsync(new StepRecord { RunId = ViewerSeed.RunningId, Agent = "worker-1", Kind = "tool", Tool = "run_python", ArgumentsJson = """{"code":"print(1)"}""", StartedAt = DateTimeOffset.UtcNow });
        }

        await page.WaitForFunctionAsync("() => document.querySelectorAll('#steps tbody tr').length > " + before, new WaitForFunctionOptions { Timeout = 15_000 });
        var tool = await page.EvaluateExpressionAsync<string>("document.querySelector('#steps tbody tr:last-child td:nth-child(5)').textContent");
        Assert.That(tool, Is.EqualTo("run_python"));
        await ScreenshotAsync(page, "live");
    }

    [Test]
    public async Task Export_opened_from_disk_offline_renders_its_charts_without_any_request()
    {
        var store = ViewerStore.Open(_db);
        var file = Path.Combine(_folder, "results-export.html");
        ViewerExports.Write(file, ViewerExports.Results(ResultsLedger.Summarize(store.ListRuns()), store.DatabasePath));
        var runFile = Path.Combine(_folder, "run-export.html");
        ViewerExports.Write(runFile, ViewerExports.Run(store, ViewerSeed.DetailId)!);

        await using var page = await _browser!.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.SetOfflineModeAsync(true);
        var requests = new List<string>();
        page.Request += (_, e) => requests.Add(e.Request.Url);
        foreach (var path in new[] { file, runFile })
        {
            requests.Clear();
            await page.GoToAsync(new Uri(path).AbsoluteUri, WaitUntilNavigation.Load);
            Assert.That(requests.Where(u => !u.StartsWith("file://", StringComparison.Ordinal) || u != new Uri(path).AbsoluteUri), Is.Empty, "no request but the file itself");
            var chartHeight = await page.EvaluateExpressionAsync<double>("document.querySelector('svg.chart').getBoundingClientRect().height");
            Assert.That(chartHeight, Is.GreaterThan(100), "the chart is laid out");
        }

        await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
        var drawn = await page.EvaluateExpressionAsync<double[]>("[...document.querySelectorAll('rect.bar')].map(r => r.getBoundingClientRect().height)");
        Assert.That(drawn, Has.Length.EqualTo(4).And.All.GreaterThan(10));
        await ScreenshotAsync(page, "export");
    }
}
