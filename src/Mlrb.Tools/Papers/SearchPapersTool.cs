using System.Globalization;
using System.Text;
using System.Text.Json;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Papers;

/// <summary><c>search_papers</c>: Semantic Scholar paper search.</summary>
internal sealed class SearchPapersTool(ToolRuntime runtime, SemanticScholarClient client) : ToolBase(
    "search_papers",
    "Search for papers by search term on Semantic Scholar, with simple terms eg. 'Attention Mechanism'. Returns title, year, abstract, paper_id and arxiv_id of each hit.",
    new ToolSchema(
        new ToolParameter("query", ParameterKind.String, "The search terms.", true) { NonEmpty = true },
        new ToolParameter("limit", ParameterKind.Integer, "How many papers (default 10, at most 50).", false) { Minimum = 1, Maximum = 50 }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var query = arguments.RequiredString("query");
        var limit = arguments.Integer("limit") ?? 10;
        var relative = string.Create(CultureInfo.InvariantCulture, $"paper/search?query={Uri.EscapeDataString(query)}&fields=title,year,abstract,externalIds&limit={limit}");
        var (json, error) = await client.GetJsonAsync(relative, $"search for '{query}'", cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return Fail($"{Name}: {error}");
        }

        using (json)
        {
            if (!json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
            {
                return Ok($"No papers found for '{query}'.");
            }

            var text = new StringBuilder();
            foreach (var paper in data.EnumerateArray())
            {
                text.Append("title: ").Append(SemanticScholarClient.Str(paper, "title")).Append('\n')
                    .Append("year: ").Append(SemanticScholarClient.Num(paper, "year") ?? "unknown").Append('\n')
                    .Append("paper_id: ").Append(SemanticScholarClient.Str(paper, "paperId")).Append('\n')
                    .Append("arxiv_id: ").Append(SemanticScholarClient.ArxivId(paper) ?? "none").Append('\n')
                    .Append("abstract: ").Append(SemanticScholarClient.Str(paper, "abstract") ?? "(none)").Append("\n\n");
            }

            return Ok(runtime.Cap(text.ToString()));
        }
    }
}
