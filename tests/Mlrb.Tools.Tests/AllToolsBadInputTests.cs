using System.Text.Json;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools.Tests.Http;

namespace Mlrb.Tools.Tests;

/// <summary>Bad input and HTTP failures for every tool, driven through the public <see cref="ITool"/> surface.</summary>
public class AllToolsBadInputTests
{
    private static readonly string[] AllTools =
    [
        "run_python", "run_bash", "return_fn", "write_code", "insert_code", "replace_code", "delete_code", "scratchpad", "thought",
        "github_get_readme", "github_list_files", "github_get_file_code",
        "search_papers", "get_paper_details", "get_paper_abstract", "get_paper_citations", "download_paper",
    ];

    public static IEnumerable<TestCaseData> HttpCalls()
    {
        yield return new TestCaseData("github_get_readme", """{"repo_url":"o/r"}""");
        yield return new TestCaseData("github_list_files", """{"repo_url":"o/r"}""");
        yield return new TestCaseData("github_get_file_code", """{"repo_url":"o/r","file_path":"a.py"}""");
        yield return new TestCaseData("search_papers", """{"query":"q"}""");
        yield return new TestCaseData("get_paper_details", """{"paper_id":"p"}""");
        yield return new TestCaseData("get_paper_abstract", """{"paper_id":"p"}""");
        yield return new TestCaseData("get_paper_citations", """{"paper_id":"p"}""");
        yield return new TestCaseData("download_paper", """{"paper_id":"p"}""");
    }

    [TestCaseSource(nameof(AllTools))]
    public async Task EmptyArguments_FailWithAReadableMessage_NeverThrow(string tool)
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        var r = await h.InvokeJsonAsync(tool, "{}");
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Tool, Is.EqualTo(tool));
        Assert.That(r.Stderr, Does.StartWith(tool + ": "));
        Assert.That(r.Stderr, Does.Contain("missing required argument").Or.Contain("exactly one of"));
    }

    [TestCaseSource(nameof(AllTools))]
    public async Task IllTypedArguments_NameTheArgument(string tool)
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        var required = h[tool].JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToList();
        var first = required.Count > 0 ? required[0] : h[tool].JsonSchema.GetProperty("properties").EnumerateObject().First().Name;
        var r = await h.InvokeJsonAsync(tool, $$"""{"{{first}}": [1, 2]}""");
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain($"'{first}' must be"));
    }

    [TestCaseSource(nameof(AllTools))]
    public async Task NonObjectArguments_AreRefused(string tool)
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        var r = await h[tool].InvokeAsync(JsonDocument.Parse("\"just text\"").RootElement);
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("must be a JSON object"));
    }

    [TestCaseSource(nameof(HttpCalls))]
    public async Task Http404_IsAFailure(string tool, string json)
    {
        await using var api = new FakeApiServer();
        using var h = new ToolHarness(api.Configure);
        var r = await h.InvokeJsonAsync(tool, json);
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("HTTP 404"));
        Assert.That(api.Requests, Has.Count.EqualTo(1), "a 404 is not retried");
    }

    [TestCaseSource(nameof(HttpCalls))]
    public async Task Http500_IsRetriedThenAFailure(string tool, string json)
    {
        await using var api = new FakeApiServer { Handler = (_, res) => FakeApiServer.Json(res, "{}", 500) };
        using var h = new ToolHarness(o => { api.Configure(o); o.HttpMaxRetries = 2; });
        var r = await h.InvokeJsonAsync(tool, json);
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("HTTP 500 after 3 attempts"));
        Assert.That(api.Requests, Has.Count.EqualTo(3));
    }

    [TestCaseSource(nameof(HttpCalls))]
    public async Task Http429_IsRetriedThenAFailure(string tool, string json)
    {
        await using var api = new FakeApiServer
        {
            Handler = (_, res) =>
            {
                res.Headers.Add("Retry-After", "0");
                return FakeApiServer.Json(res, "{}", 429);
            },
        };
        using var h = new ToolHarness(o => { api.Configure(o); o.HttpMaxRetries = 1; });
        var r = await h.InvokeJsonAsync(tool, json);
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("rate limited (HTTP 429 after 2 attempts)"));
    }
}
