using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Testing;
using Mlrb.Tools.GitHub;
using Mlrb.Tools.Tests.Http;

namespace Mlrb.Tools.Tests.GitHub;

public class GitHubToolsTests
{
    private FakeApiServer _api = null!;

    [SetUp]
    public void SetUp() => _api = new FakeApiServer();

    [TearDown]
    public async Task TearDown() => await _api.DisposeAsync();

    private ToolHarness Harness(Action<MlrbToolsOptions>? more = null) => new(o => { _api.Configure(o); more?.Invoke(o); });

    private static string FileJson(string text) =>
        $"{{\"type\":\"file\",\"encoding\":\"base64\",\"content\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}\"}}";

    [Test]
    public async Task GetReadme_DecodesTheContent_AndSendsTokenAndHeaders()
    {
        _api.Handler = (req, res) => req.Url.AbsolutePath == "/gh/repos/owner/repo/readme"
            ? FakeApiServer.Json(res, FileJson("# Title\nbody\n"))
            : FakeApiServer.Json(res, "{}", 404);
        using var h = Harness(o => o.GitHubToken = "ghp_test");
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "https://github.com/owner/repo" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo("# Title\nbody\n"));
        var sent = _api.Requests.Single();
        Assert.That(sent.Headers["Authorization"], Is.EqualTo("Bearer ghp_test"));
        Assert.That(sent.Headers["User-Agent"], Does.Contain("mlrb-tools"));
        Assert.That(sent.Headers["Accept"], Is.EqualTo("application/vnd.github+json"));
    }

    [Test]
    public async Task NoToken_SendsNoAuthorization()
    {
        _api.Handler = (_, res) => FakeApiServer.Json(res, FileJson("x"));
        using var h = Harness();
        await h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        Assert.That(_api.Requests.Single().Headers.ContainsKey("Authorization"), Is.False);
    }

    [Test]
    public async Task NotFound_IsAReadableFailure_WithoutRetries()
    {
        using var h = Harness();
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "https://github.com/owner/missing" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("not found (HTTP 404)").And.Contain("README of owner/missing"));
        Assert.That(_api.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TooManyRequests_HonoursRetryAfter_ThenSucceeds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var started = time.GetUtcNow();
        DateTimeOffset? retriedAt = null;
        var calls = 0;
        _api.Handler = (_, res) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                res.Headers.Add("Retry-After", "1");
                return FakeApiServer.Json(res, "{\"message\":\"slow down\"}", 429);
            }

            retriedAt = time.GetUtcNow();
            return FakeApiServer.Json(res, FileJson("ok"));
        };
        using var h = new ToolHarness(o => { _api.Configure(o); o.HttpTimeout = TimeSpan.FromHours(1); }, time: time);

        // The retry waits on the fake clock: move it in small steps until the call is done.
        var call = h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        for (var step = 0; !call.IsCompleted && step < 6_000; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }

        var r = await call;
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo("ok"));
        Assert.That(_api.Requests, Has.Count.EqualTo(2));
        Assert.That(retriedAt - started, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "waited for Retry-After, not the 10 ms backoff");
    }

    [Test]
    public async Task ServerError_RetriesThenFails_NamingTheAttempts()
    {
        _api.Handler = (_, res) => FakeApiServer.Json(res, "{\"message\":\"boom\"}", 500);
        using var h = Harness(o => o.HttpMaxRetries = 3);
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("server error (HTTP 500 after 4 attempts)").And.Contain("boom"));
        Assert.That(_api.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task OversizedBody_IsRefused()
    {
        _api.Handler = (_, res) => FakeApiServer.Json(res, FileJson(new string('a', 50_000)));
        using var h = Harness(o => o.MaxResponseBytes = 4096);
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("4096-byte limit"));
    }

    [Test]
    public async Task OversizedChunkedBody_IsRefusedWhileReading()
    {
        _api.Handler = async (_, res) =>
        {
            res.SendChunked = true;
            res.StatusCode = 200;
            var chunk = Encoding.UTF8.GetBytes(new string('b', 1024));
            for (var i = 0; i < 64; i++)
            {
                await res.OutputStream.WriteAsync(chunk);
            }

            res.Close();
        };
        using var h = Harness(o => o.MaxResponseBytes = 8192);
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("over the 8192-byte limit"));
    }

    [Test]
    public async Task SlowServer_TimesOutPerAttempt_AndFails()
    {
        _api.Handler = async (_, res) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            await FakeApiServer.Json(res, FileJson("late"));
        };
        using var h = Harness(o => { o.HttpTimeout = TimeSpan.FromMilliseconds(300); o.HttpMaxRetries = 1; });
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("no answer within 0.3 s (2 attempts)"));
    }

    [Test]
    public async Task UnreachableServer_IsAReadableFailure()
    {
        using var h = new ToolHarness(o =>
        {
            o.GitHubBaseAddress = new Uri("http://127.0.0.1:1/");
            o.HttpMaxRetries = 1;
            o.HttpRetryBaseDelay = TimeSpan.FromMilliseconds(10);
        });
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = "owner/repo" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("could not reach"));
    }

    [TestCase("not a url")]
    [TestCase("https://github.com/only-owner")]
    public async Task BadRepoUrl_IsRefused_WithoutRequest(string url)
    {
        using var h = Harness();
        var r = await h.InvokeAsync("github_get_readme", new { repo_url = url });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("not a GitHub repository URL"));
        Assert.That(_api.Requests, Is.Empty);
    }

    [TestCase("https://github.com/a/b", "a", "b")]
    [TestCase("https://github.com/a/b.git", "a", "b")]
    [TestCase("https://github.com/a/b/tree/main/src", "a", "b")]
    [TestCase("github.com/a/b", "a", "b")]
    [TestCase("git@github.com:a/b.git", "a", "b")]
    [TestCase("a/b", "a", "b")]
    public void RepositoryUrls_Parse(string url, string owner, string name)
    {
        Assert.That(GitHubRepository.TryParse(url, out var repo), Is.True);
        Assert.That(repo, Is.EqualTo(new GitHubRepository(owner, name)));
    }

    private void ServeTree()
    {
        var folders = new Dictionary<string, string>
        {
            ["/gh/repos/o/r/contents/"] = """[{"path":"README.md","type":"file","size":10},{"path":"src","type":"dir","size":0}]""",
            ["/gh/repos/o/r/contents/src"] = """[{"path":"src/a.py","type":"file","size":20},{"path":"src/deep","type":"dir","size":0}]""",
            ["/gh/repos/o/r/contents/src/deep"] = """[{"path":"src/deep/b.py","type":"file","size":30}]""",
        };
        _api.Handler = (req, res) => folders.TryGetValue(req.Url.AbsolutePath, out var json)
            ? FakeApiServer.Json(res, json)
            : FakeApiServer.Json(res, "{}", 404);
    }

    [Test]
    public async Task ListFiles_RecursesToEveryLevel()
    {
        ServeTree();
        using var h = Harness();
        var r = await h.InvokeAsync("github_list_files", new { repo_url = "https://github.com/o/r" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Is.EqualTo("src/\nREADME.md (10 bytes)\nsrc/deep/\nsrc/a.py (20 bytes)\nsrc/deep/b.py (30 bytes)\n"));
    }

    [Test]
    public async Task ListFiles_StopsAtTheDepthLimit()
    {
        ServeTree();
        using var h = Harness();
        var r = await h.InvokeAsync("github_list_files", new { repo_url = "o/r", max_depth = 2 });
        Assert.That(r.Stdout, Does.Contain("src/a.py").And.Not.Contain("src/deep/b.py"));
        Assert.That(r.Stdout, Does.Contain("1 folder(s) deeper than max_depth 2 not opened"));
        Assert.That(_api.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ListFiles_StopsAtTheCountLimit()
    {
        ServeTree();
        using var h = Harness();
        var r = await h.InvokeAsync("github_list_files", new { repo_url = "o/r", max_files = 3 });
        Assert.That(r.Stdout.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('[')), Is.EqualTo(3));
        Assert.That(r.Stdout, Does.Contain("listing stopped at 3 entries"));
    }

    [Test]
    public async Task ListFiles_BadLimits_AreRefused()
    {
        using var h = Harness();
        var r = await h.InvokeAsync("github_list_files", new { repo_url = "o/r", max_depth = 0 });
        Assert.That(r.Stderr, Does.Contain("'max_depth' must be between 1 and 20"));
        r = await h.InvokeAsync("github_list_files", new { repo_url = "o/r", max_files = "many" });
        Assert.That(r.Stderr, Does.Contain("'max_files' must be an integer"));
    }

    [Test]
    public async Task GetFileCode_ReturnsTheFile_AndExplainsFolders()
    {
        _api.Handler = (req, res) => req.Url.AbsolutePath switch
        {
            "/gh/repos/o/r/contents/src/main.py" => FakeApiServer.Json(res, FileJson("print('hi')\n")),
            "/gh/repos/o/r/contents/src" => FakeApiServer.Json(res, "[]"),
            _ => FakeApiServer.Json(res, "{}", 404),
        };
        using var h = Harness();
        var ok = await h.InvokeAsync("github_get_file_code", new { repo_url = "o/r", file_path = "src/main.py" });
        Assert.That(ok.Stdout, Is.EqualTo("print('hi')\n"));
        var folder = await h.InvokeAsync("github_get_file_code", new { repo_url = "o/r", file_path = "src" });
        Assert.That(folder.Stderr, Does.Contain("is a folder; use github_list_files"));
        var escape = await h.InvokeAsync("github_get_file_code", new { repo_url = "o/r", file_path = "../../x" });
        Assert.That(escape.Stderr, Does.Contain("plain path"));
        var missingArg = await h.InvokeAsync("github_get_file_code", new { repo_url = "o/r" });
        Assert.That(missingArg.Stderr, Does.Contain("missing required argument 'file_path'"));
    }
}
