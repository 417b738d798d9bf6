using System.Text;
using System.Text.Json;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Papers;

/// <summary><c>get_paper_details</c>: title, year, venue, authors, ids, citation count and abstract of one paper.</summary>
internal sealed class GetPaperDetailsTool(ToolRuntime runtime, SemanticScholarClient client) : ToolBase(
    "get_paper_details",
    "Get the details of a paper from Semantic Scholar: title, year, venue, authors, citation count, ids and abstract.",
    new ToolSchema(new ToolParameter("paper_id", ParameterKind.String, "The Semantic Scholar paper ID (or 'arXiv:<id>').", true) { NonEmpty = true }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var id = arguments.RequiredString("paper_id");
        var (json, error) = await client.GetJsonAsync(
            $"paper/{SemanticScholarClient.EscapeId(id)}?fields=title,year,venue,abstract,authors.name,externalIds,citationCount,url",
            $"details of paper '{id}'",
            cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return Fail($"{Name}: {error}");
        }

        using (json)
        {
            var p = json.RootElement;
            var authors = p.TryGetProperty("authors", out var a) && a.ValueKind == JsonValueKind.Array
                ? string.Join(", ", a.EnumerateArray().Select(x => SemanticScholarClient.Str(x, "name")).Where(n => n is not null))
                : "";
            var text = new StringBuilder()
                .Append("title: ").Append(SemanticScholarClient.Str(p, "title")).Append('\n')
                .Append("year: ").Append(SemanticScholarClient.Num(p, "year") ?? "unknown").Append('\n')
                .Append("venue: ").Append(SemanticScholarClient.Str(p, "venue") ?? "").Append('\n')
                .Append("authors: ").Append(authors).Append('\n')
                .Append("citation_count: ").Append(SemanticScholarClient.Num(p, "citationCount") ?? "unknown").Append('\n')
                .Append("paper_id: ").Append(SemanticScholarClient.Str(p, "paperId")).Append('\n')
                .Append("arxiv_id: ").Append(SemanticScholarClient.ArxivId(p) ?? "none").Append('\n')
                .Append("url: ").Append(SemanticScholarClient.Str(p, "url") ?? "").Append('\n')
                .Append("abstract: ").Append(SemanticScholarClient.Str(p, "abstract") ?? "(none)").Append('\n');
            return Ok(runtime.Cap(text.ToString()));
        }
    }
}
