using Mlrb.Tools.Core;

namespace Mlrb.Tools.Papers;

/// <summary><c>get_paper_abstract</c>: the title and abstract of one paper (advertised but never implemented by the reference).</summary>
internal sealed class GetPaperAbstractTool(ToolRuntime runtime, SemanticScholarClient client) : ToolBase(
    "get_paper_abstract",
    "Get the abstract of a paper from Semantic Scholar.",
    new ToolSchema(new ToolParameter("paper_id", ParameterKind.String, "The Semantic Scholar paper ID (or 'arXiv:<id>').", true) { NonEmpty = true }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var id = arguments.RequiredString("paper_id");
        var (json, error) = await client.GetJsonAsync(
            $"paper/{SemanticScholarClient.EscapeId(id)}?fields=title,abstract",
            $"abstract of paper '{id}'",
            cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return Fail($"{Name}: {error}");
        }

        using (json)
        {
            var p = json.RootElement;
            var abstractText = SemanticScholarClient.Str(p, "abstract");
            return abstractText is null
                ? Fail($"{Name}: Semantic Scholar has no abstract for '{id}' ({SemanticScholarClient.Str(p, "title")}); try download_paper for the full text.")
                : Ok(runtime.Cap($"title: {SemanticScholarClient.Str(p, "title")}\nabstract: {abstractText}\n"));
        }
    }
}
