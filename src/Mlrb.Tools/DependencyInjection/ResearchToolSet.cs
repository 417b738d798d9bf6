using Microsoft.Extensions.Options;
using Mlrb.Tools.Core;
using Mlrb.Tools.GitHub;
using Mlrb.Tools.Http;
using Mlrb.Tools.Papers;

namespace Mlrb.Tools.DependencyInjection;

/// <summary>Creates the HTTP-backed tools (GitHub, Semantic Scholar, arXiv) from named <see cref="HttpClient"/>s.</summary>
/// <param name="clients">The client factory (named clients configured by <c>AddMlrbTools</c>).</param>
/// <param name="options">Validated options.</param>
/// <param name="handlers">Builds the GitHub client's handler chain for Octokit.</param>
internal sealed class ResearchToolSet(IHttpClientFactory clients, IHttpMessageHandlerFactory handlers, IOptions<MlrbToolsOptions> options)
{
    /// <summary>Name of the GitHub client.</summary>
    public const string GitHubClient = "Mlrb.Tools.GitHub";

    /// <summary>Name of the Semantic Scholar client.</summary>
    public const string SemanticScholarClientName = "Mlrb.Tools.SemanticScholar";

    /// <summary>Name of the arXiv client.</summary>
    public const string ArxivClientName = "Mlrb.Tools.Arxiv";

    /// <summary>The eight research tools, bound to <paramref name="runtime"/>.</summary>
    /// <param name="runtime">The run's tool runtime.</param>
    /// <returns>The tools in the reference's order.</returns>
    public IEnumerable<ITool> Create(ToolRuntime runtime)
    {
        var o = options.Value;
        var fetcher = new HttpFetcher(o);
        var github = new GitHubApiClient(GitHubApiClient.Connect(o, () => handlers.CreateHandler(GitHubClient)), o);
        var scholar = new SemanticScholarClient(clients.CreateClient(SemanticScholarClientName), fetcher);
        var arxiv = new ArxivClient(clients.CreateClient(ArxivClientName), fetcher);
        return
        [
            new GitHubGetReadmeTool(runtime, github),
            new GitHubListFilesTool(runtime, github),
            new GitHubGetFileCodeTool(runtime, github),
            new SearchPapersTool(runtime, scholar),
            new GetPaperDetailsTool(runtime, scholar),
            new GetPaperAbstractTool(runtime, scholar),
            new GetPaperCitationsTool(runtime, scholar),
            new DownloadPaperTool(runtime, scholar, arxiv),
        ];
    }
}
