using System.Net;
using Mlrb.Testing;

namespace Mlrb.Tools.Tests.Http;

/// <summary>
/// One real loopback HTTP server standing in for GitHub (<c>/gh/</c>), Semantic Scholar (<c>/s2/graph/v1/</c>) and arXiv
/// (<c>/arxiv/</c>). Each test sets <see cref="Handler"/>; requests are recorded.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;

    public FakeApiServer()
    {
        _server = new LoopbackHttpServer((request, response) => Handler(request, response));
    }

    public Func<RecordedRequest, HttpListenerResponse, Task> Handler { get; set; } =
        (_, response) => LoopbackHttpServer.WriteAsync(response, 404, "{\"message\":\"Not Found\"}");

    public IReadOnlyList<RecordedRequest> Requests => [.. _server.Requests];

    public Uri GitHub => new(_server.BaseAddress, "gh/");

    public Uri SemanticScholar => new(_server.BaseAddress, "s2/graph/v1/");

    public Uri Arxiv => new(_server.BaseAddress, "arxiv/");

    public void Configure(MlrbToolsOptions o)
    {
        o.Sandbox = SandboxMode.None;
        o.GitHubBaseAddress = GitHub;
        o.SemanticScholarBaseAddress = SemanticScholar;
        o.ArxivBaseAddress = Arxiv;
        o.HttpRetryBaseDelay = TimeSpan.FromMilliseconds(10);
        o.HttpTimeout = TimeSpan.FromSeconds(10);
    }

    public static Task Json(HttpListenerResponse response, string json, int status = 200) =>
        LoopbackHttpServer.WriteAsync(response, status, json);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
