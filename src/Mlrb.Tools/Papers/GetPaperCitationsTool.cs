using System.Globalization;
using System.Text;
using System.Text.Json;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Papers;

/// <summary><c>get_paper_citations</c>: papers that cite one paper.</summary>
internal sealed class GetPaperCitationsTool(ToolRuntime runtime, SemanticScholarClient client) : ToolBase(
    "get_paper_citations",
    "Get the papers that cite a paper, from Semantic Scholar (title, year, paper_id, arxiv_id).",
    new ToolSchema(
        new ToolParameter("paper_id", ParameterKind.String, "The Semantic Scholar paper ID (or 'arXiv:<id>').", true) { NonEmpty = true },
        new ToolParameter("limit", ParameterKind.Integer, "How many citing papers (default 10, at most 100).", false) { Minimum = 1, Maximum = 100 }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var id = arguments.RequiredString("paper_id");
        var limit = arguments.Integer("limit") ?? 10;
        var (json, error) = await client.GetJsonAsync(
            string.Create(CultureInfo.InvariantCulture, $"paper/{SemanticScholarClient.EscapeId(id)}/citations?fields=title,year,externalIds&limit={limit}"),
            $"citations of paper '{id}'",
            cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return Fail($"{Name}: {error}");
        }

        using (json)
        {
            if (!json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
            {
                return Ok($"No citing papers found for '{id}'.");
            }

            var text = new StringBuilder();
            foreach (var item in data.EnumerateArray())
            {
                var p = item.TryGetProperty("citingPaper", out var c) ? c : item;
                text.Append("- ").Append(SemanticScholarClient.Str(p, "title"))
                    .Append(" (").Append(SemanticScholarClient.Num(p, "year") ?? "n.d.").Append(')')
                    .Append(" paper_id: ").Append(SemanticScholarClient.Str(p, "paperId"))
                    .Append(", arxiv_id: ").Append(SemanticScholarClient.ArxivId(p) ?? "none").Append('\n');
            }

            return Ok(runtime.Cap(text.ToString()));
        }
    }
}
