using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Hosting;

namespace Mlrb.Cli.Tests.Viewer;

/// <summary>The viewer over real loopback HTTP on a seeded SQLite store.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ViewerServerTests
{
    private string _folder = null!;
    private string _db = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _folder = ViewerSeed.TempFolder();
        _db = await ViewerSeed.CreateAsync(_folder);
        var results = Directory.CreateDirectory(Path.Combine(_folder, "results")).FullName;
        File.WriteAllText(Path.Combine(results, "a.json"), ViewerSeed.Report("baby_lm", "blimp", [("s1", 0.5), ("s2", 0.7)]).ToJsonString());
        File.WriteAllText(Path.Combine(results, "b.json"), ViewerSeed.Report("baby_lm", "blimp", [("s1", 0.6), ("s3", 0.4)]).ToJsonString());
        File.WriteAllText(Path.Combine(results, "not-a-report.json"), "{\"x\":1}");
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_folder, recursive: true);

    private async Task<(ViewerServer Server, HttpClient Http)> StartAsync(string? token = null)
    {
        var server = await ViewerServer.StartAsync(new ViewerOptions { DatabasePath = _db, ResultsPath = Path.Combine(_folder, "results"), Port = 0, Token = token });
        return (server, new HttpClient { BaseAddress = server.Url });
    }

    [Test]
    public async Task Runs_list_shows_every_seeded_run_with_a_nonced_csp()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        using var response = await http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        for (var i = 0; i < ViewerSeed.Finished.Length; i++)
        {
            Assert.That(html, Does.Contain($"data-run=\"run-{i:00}\""));
        }

        Assert.That(html, Does.Contain($"data-run=\"{ViewerSeed.RunningId}\""));
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Regex.Match(csp, "script-src 'nonce-([^']+)'").Groups[1].Value;
        Assert.That(nonce, Is.Not.Empty);
        Assert.That(csp, Does.Not.Contain("unsafe-inline"));
        Assert.That(Regex.Count(html, "<script(?! nonce=\"" + Regex.Escape(nonce) + "\")"), Is.Zero, "every script carries the nonce");
    }

    [Test]
    public async Task Runs_list_filters_and_sorts_by_query()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        var html = await http.GetStringAsync("/?task=mini_pile&agent=beta&sort=score&dir=asc");
        var rows = Regex.Matches(html, "<tr data-run=\"(run-[0-9]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(rows, Is.EqualTo(new[] { "run-08", "run-07", "run-09" }), "mini_pile/beta sorted by score ascending (failed run has no score)");
    }

    [Test]
    public async Task Run_page_encodes_hostile_output_and_shows_steps_plans_transcript_and_report()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        var html = await http.GetStringAsync($"/runs/{ViewerSeed.DetailId}");
        Assert.That(html, Does.Contain("STEP-MARKER &lt;script&gt;window.__xss=1&lt;/script&gt;"));
        Assert.That(html, Does.Contain("TRANSCRIPT-MARKER &lt;script&gt;"));
        Assert.That(html, Does.Not.Contain("<script>window.__xss"));
        Assert.That(html, Does.Not.Contain("<img src=x"));
        Assert.That(Regex.Count(html, "<tr data-step="), Is.EqualTo(3));
        Assert.That(html, Does.Contain("Plan and 1 re-plan"));
        Assert.That(html, Does.Contain("anaphor_gender_agreement"));
        Assert.That(html, Does.Contain("class=\"budget\""), "time-limit budget line");
    }

    [Test]
    public async Task Live_steps_api_returns_only_steps_after_the_given_id()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        var all = await http.GetStringAsync($"/api/runs/{ViewerSeed.DetailId}/steps?after=0");
        var firstId = long.Parse(Regex.Match(all, "\"id\":([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var later = await http.GetStringAsync($"/api/runs/{ViewerSeed.DetailId}/steps?after={firstId}");
        Assert.That(Regex.Count(all, "\"id\":"), Is.EqualTo(3));
        Assert.That(Regex.Count(later, "\"id\":"), Is.EqualTo(2));
        Assert.That(later, Does.Contain("\"number\":\"2\""));
    }

    [Test]
    public async Task Writes_are_refused_and_the_store_is_unchanged()
    {
        var before = File.ReadAllBytes(_db);
        var (server, http) = await StartAsync();
        await using (server)
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            {
                using var response = await http.SendAsync(new HttpRequestMessage(method, $"/runs/{ViewerSeed.DetailId}"));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), method.Method);
            }

            await http.GetStringAsync("/results");
        }

        Assert.That(File.ReadAllBytes(_db), Is.EqualTo(before));
    }

    [Test]
    public async Task Token_is_required_and_checked_and_sets_a_cookie()
    {
        var (server, http) = await StartAsync("s3cret");
        await using var _ = server;
        using (var none = await http.GetAsync("/"))
        {
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var wrong = await http.GetAsync("/?token=nope"))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var right = await http.GetAsync("/?token=s3cret"))
        {
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(right.Headers.GetValues("Set-Cookie").Single(), Does.Contain("httponly").IgnoreCase);
        }

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/results");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var ok = await http.SendAsync(bearer);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Non_loopback_host_without_token_is_refused()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => ViewerServer.StartAsync(new ViewerOptions { DatabasePath = _db, Host = "0.0.0.0", Port = 0 }));
        Assert.That(ex!.Message, Does.Contain("--token"));
    }

    [Test]
    public async Task Foreign_host_header_is_refused_on_loopback()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "evil.example";
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
    }

    [Test]
    public async Task Reports_list_page_and_compare_show_differences()
    {
        var (server, http) = await StartAsync();
        await using var _ = server;
        var list = await http.GetStringAsync("/reports");
        Assert.That(list, Does.Contain("a.json").And.Contain("b.json").And.Not.Contain("not-a-report.json"));
        var compare = await http.GetStringAsync("/compare?a=a.json&b=b.json");
        Assert.That(compare, Does.Match("data-name=\"s1\".*\\+0\\.1000"));
        Assert.That(compare, Does.Contain("data-name=\"s3\""));
        using var traversal = await http.GetAsync("/reports/..%2F..%2Fetc%2Fpasswd");
        Assert.That(traversal.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Store_newer_than_the_viewer_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_folder, "newer.db");
        File.Copy(_db, path, overwrite: true);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (999, 'x')";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<ViewerStoreException>(() => ViewerStore.Open(path));
        Assert.That(ex!.Message, Does.Contain("schema version 999").And.Contain("newer"));
    }

    [Test]
    public async Task Store_of_schema_version_1_is_read_without_migrating_it()
    {
        var path = Path.Combine(_folder, "v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);
                INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.0000000+00:00');
                CREATE TABLE runs (run_id TEXT NOT NULL PRIMARY KEY, task_name TEXT NOT NULL, workspace_path TEXT NOT NULL, provider TEXT, model TEXT, status TEXT NOT NULL,
                  started_at TEXT NOT NULL, finished_at TEXT, time_limit_ticks INTEGER, stop_reason TEXT, input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
                  cost_usd TEXT, result_json TEXT, metadata_json TEXT);
                CREATE TABLE steps (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, agent TEXT NOT NULL, kind TEXT NOT NULL, tool TEXT, call_id TEXT, arguments_json TEXT,
                  status TEXT NOT NULL, output_excerpt TEXT, error_excerpt TEXT, input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0, started_at TEXT NOT NULL, completed_at TEXT);
                INSERT INTO runs (run_id, task_name, workspace_path, status, started_at) VALUES ('old-run', 'baby_lm', '/w', 'Completed', '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO steps (run_id, agent, kind, tool, status, output_excerpt, started_at) VALUES ('old-run', 'worker-1', 'tool', 'run_bash', 'Succeeded', 'OLD-STEP', '2026-01-01T00:00:01.0000000+00:00');
                """;
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(path);
        var server = await ViewerServer.StartAsync(new ViewerOptions { DatabasePath = path, Port = 0 });
        await using (server)
        {
            using var http = new HttpClient { BaseAddress = server.Url };
            Assert.That(await http.GetStringAsync("/"), Does.Contain("old-run"));
            var run = await http.GetStringAsync("/runs/old-run");
            Assert.That(run, Does.Contain("OLD-STEP").And.Contain("stores before schema version 2 have none"));
            Assert.That(await http.GetStringAsync("/results"), Does.Contain("old-run"));
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before), "the viewer never migrates or writes");
    }
}
