using System.Net;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Testing;
using Mlrb.Tools.Papers;
using Mlrb.Tools.Tests.Http;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Mlrb.Tools.Tests.Papers;

public class PaperToolsTests
{
    private FakeApiServer _api = null!;

    [SetUp]
    public void SetUp() => _api = new FakeApiServer();

    [TearDown]
    public async Task TearDown() => await _api.DisposeAsync();

    private ToolHarness Harness(Action<MlrbToolsOptions>? more = null) => new(o => { _api.Configure(o); more?.Invoke(o); });

    private static byte[] MakePdf(params string[] pageTexts)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pageTexts)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddText(text, 12, new PdfPoint(50, 700), font);
        }

        return builder.Build();
    }

    [Test]
    public async Task SearchPapers_SendsQueryAndFields_AndListsEachPaper()
    {
        _api.Handler = (req, res) => FakeApiServer.Json(res, """
            {"total":2,"data":[
              {"paperId":"abc123","title":"Attention Is All You Need","year":2017,"abstract":"Transformers.","externalIds":{"ArXiv":"1706.03762"}},
              {"paperId":"def456","title":"No Arxiv","year":null,"abstract":null,"externalIds":{}}]}
            """);
        using var h = Harness(o => o.SemanticScholarApiKey = "s2-key");
        var r = await h.InvokeAsync("search_papers", new { query = "attention mechanism" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Does.Contain("title: Attention Is All You Need\nyear: 2017\npaper_id: abc123\narxiv_id: 1706.03762\nabstract: Transformers."));
        Assert.That(r.Stdout, Does.Contain("paper_id: def456\narxiv_id: none"));
        var sent = _api.Requests.Single();
        Assert.That(sent.Url.AbsolutePath, Is.EqualTo("/s2/graph/v1/paper/search"));
        Assert.That(WebUtility.UrlDecode(sent.Url.Query), Does.Contain("query=attention mechanism").And.Contain("limit=10").And.Contain("fields=title,year,abstract,externalIds"));
        Assert.That(sent.Headers["x-api-key"], Is.EqualTo("s2-key"));
    }

    [Test]
    public async Task SearchPapers_NoHits_SaysSo()
    {
        _api.Handler = (_, res) => FakeApiServer.Json(res, """{"total":0,"data":[]}""");
        using var h = Harness();
        var r = await h.InvokeAsync("search_papers", new { query = "zzz" });
        Assert.That(r.Stdout, Is.EqualTo("No papers found for 'zzz'."));
    }

    [Test]
    public async Task SearchPapers_NotJson_IsAFailure()
    {
        _api.Handler = (_, res) => LoopbackHttpServer.WriteAsync(res, 200, "<html>oops</html>", "text/html");
        using var h = Harness();
        var r = await h.InvokeAsync("search_papers", new { query = "q" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("not JSON"));
    }

    [Test]
    public async Task SearchPapers_RateLimitedEveryTime_FailsReadably()
    {
        _api.Handler = (_, res) =>
        {
            res.Headers.Add("Retry-After", "0");
            return FakeApiServer.Json(res, """{"message":"Too Many Requests"}""", 429);
        };
        using var h = Harness(o => o.HttpMaxRetries = 2);
        var r = await h.InvokeAsync("search_papers", new { query = "q" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("rate limited (HTTP 429 after 3 attempts)"));
        Assert.That(_api.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task GetPaperDetails_FormatsAuthorsAndIds()
    {
        _api.Handler = (req, res) => req.Url.AbsolutePath == "/s2/graph/v1/paper/abc123"
            ? FakeApiServer.Json(res, """{"paperId":"abc123","title":"T","year":2020,"venue":"NeurIPS","abstract":"A.","citationCount":7,"authors":[{"name":"Ada"},{"name":"Alan"}],"externalIds":{"ArXiv":"2001.00001"}}""")
            : FakeApiServer.Json(res, """{"error":"Paper not found"}""", 404);
        using var h = Harness();
        var r = await h.InvokeAsync("get_paper_details", new { paper_id = "abc123" });
        Assert.That(r.Stdout, Does.Contain("authors: Ada, Alan").And.Contain("venue: NeurIPS").And.Contain("citation_count: 7").And.Contain("arxiv_id: 2001.00001"));
        var missing = await h.InvokeAsync("get_paper_details", new { paper_id = "nope" });
        Assert.That(missing.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(missing.Stderr, Does.Contain("not found (HTTP 404)").And.Contain("Paper not found"));
    }

    [Test]
    public async Task GetPaperAbstract_ReturnsIt_OrFailsWhenThereIsNone()
    {
        _api.Handler = (req, res) => req.Url.AbsolutePath.EndsWith("/with", StringComparison.Ordinal)
            ? FakeApiServer.Json(res, """{"paperId":"with","title":"T","abstract":"We show things."}""")
            : FakeApiServer.Json(res, """{"paperId":"without","title":"T2","abstract":null}""");
        using var h = Harness();
        var r = await h.InvokeAsync("get_paper_abstract", new { paper_id = "with" });
        Assert.That(r.Stdout, Is.EqualTo("title: T\nabstract: We show things.\n"));
        var none = await h.InvokeAsync("get_paper_abstract", new { paper_id = "without" });
        Assert.That(none.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(none.Stderr, Does.Contain("no abstract"));
    }

    [Test]
    public async Task GetPaperCitations_ListsCitingPapers_WithTheLimit()
    {
        _api.Handler = (_, res) => FakeApiServer.Json(res, """{"data":[{"citingPaper":{"paperId":"c1","title":"Follow-up","year":2021,"externalIds":{"ArXiv":"2101.1"}}}]}""");
        using var h = Harness();
        var r = await h.InvokeAsync("get_paper_citations", new { paper_id = "arXiv:1706.03762", limit = 5 });
        Assert.That(r.Stdout, Is.EqualTo("- Follow-up (2021) paper_id: c1, arxiv_id: 2101.1\n"));
        var sent = _api.Requests.Single();
        Assert.That(sent.Url.AbsolutePath, Is.EqualTo("/s2/graph/v1/paper/arXiv:1706.03762/citations"));
        Assert.That(sent.Url.Query, Does.Contain("limit=5"));
    }

    [Test]
    public async Task DownloadPaper_LooksUpArxiv_SavesThePdf_AndReturnsItsText()
    {
        var pdf = MakePdf("Scaling laws for tiny models", "Second page text");
        _api.Handler = (req, res) => req.Url.AbsolutePath switch
        {
            "/s2/graph/v1/paper/abc123" => FakeApiServer.Json(res, """{"paperId":"abc123","title":"T","externalIds":{"ArXiv":"2101.00001"}}"""),
            "/arxiv/pdf/2101.00001" => WriteBytes(res, pdf, "application/pdf"),
            _ => FakeApiServer.Json(res, "{}", 404),
        };
        using var h = Harness();
        var r = await h.InvokeAsync("download_paper", new { paper_id = "abc123" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(File.ReadAllBytes(h.PathOf("papers/2101.00001.pdf")), Is.EqualTo(pdf));
        Assert.That(r.Stdout, Does.Contain("papers/2101.00001.pdf").And.Contain("2 pages"));
        Assert.That(r.Stdout, Does.Contain("Scaling laws for tiny models").And.Contain("Second page text"));
        Assert.That(File.ReadAllText(h.PathOf("papers/2101.00001.txt")), Does.Contain("Second page text"));
    }

    [Test]
    public async Task DownloadPaper_ArxivId_SkipsSemanticScholar()
    {
        var pdf = MakePdf("direct");
        _api.Handler = (req, res) => req.Url.AbsolutePath == "/arxiv/pdf/1706.03762v5"
            ? WriteBytes(res, pdf, "application/pdf")
            : FakeApiServer.Json(res, "{}", 404);
        using var h = Harness();
        var r = await h.InvokeAsync("download_paper", new { paper_id = "arXiv:1706.03762v5" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(_api.Requests.Select(q => q.Url.AbsolutePath), Is.EqualTo(new[] { "/arxiv/pdf/1706.03762v5" }));
    }

    [Test]
    public async Task DownloadPaper_WithoutArxivVersion_Fails()
    {
        _api.Handler = (_, res) => FakeApiServer.Json(res, """{"paperId":"x","title":"Closed","externalIds":{"DOI":"10.1/x"}}""");
        using var h = Harness();
        var r = await h.InvokeAsync("download_paper", new { paper_id = "x" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("no arXiv version"));
    }

    [Test]
    public async Task DownloadPaper_NotAPdf_Fails_AndSavesNothing()
    {
        _api.Handler = (_, res) => LoopbackHttpServer.WriteAsync(res, 200, "<html>captcha</html>", "text/html");
        using var h = Harness();
        var r = await h.InvokeAsync("download_paper", new { paper_id = "2101.00002" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Failure));
        Assert.That(r.Stderr, Does.Contain("not a PDF"));
        Assert.That(Directory.Exists(h.PathOf("papers")), Is.False);
    }

    [Test]
    public async Task DownloadPaper_UnreadablePdf_StillSavesIt_AndGivesPathAndSize()
    {
        var broken = "%PDF-1.7\nthis is not really a pdf"u8.ToArray();
        _api.Handler = (_, res) => WriteBytes(res, broken, "application/pdf");
        using var h = Harness();
        var r = await h.InvokeAsync("download_paper", new { paper_id = "2101.00003" });
        Assert.That(r.Status, Is.EqualTo(ToolStatus.Success), r.Stderr);
        Assert.That(r.Stdout, Does.Contain($"papers/2101.00003.pdf ({broken.Length} bytes)").And.Contain("could not be extracted"));
    }

    [TestCase("1706.03762", "1706.03762")]
    [TestCase("arXiv:1706.03762v2", "1706.03762v2")]
    [TestCase("hep-th/9901001", "hep-th/9901001")]
    [TestCase("649def34f8be52c8b66281af98ae884c09aef38b", null)]
    public void DirectArxivIds_AreRecognised(string id, string? expected) =>
        Assert.That(DownloadPaperTool.DirectArxivId(id), Is.EqualTo(expected));

    private static async Task WriteBytes(HttpListenerResponse res, byte[] body, string contentType)
    {
        res.StatusCode = 200;
        res.ContentType = contentType;
        res.ContentLength64 = body.Length;
        await res.OutputStream.WriteAsync(body);
        res.Close();
    }
}
