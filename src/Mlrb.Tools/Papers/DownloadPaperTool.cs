using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mlrb.Tools.Code;
using Mlrb.Tools.Core;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Mlrb.Tools.Papers;

/// <summary>
/// <c>download_paper</c>: finds a paper's arXiv id (through Semantic Scholar unless the id is one already), saves the
/// PDF under <c>papers/</c> in the workspace, extracts its text (PdfPig) to a <c>.txt</c> beside it and returns the
/// text capped; when extraction fails, the path and size.
/// </summary>
internal sealed partial class DownloadPaperTool(ToolRuntime runtime, SemanticScholarClient scholar, ArxivClient arxiv) : ToolBase(
    "download_paper",
    "Download the PDF of a paper (through its arXiv version) into the papers/ folder of the working directory and return its text. The full text is also saved next to the PDF as a .txt file.",
    new ToolSchema(new ToolParameter("paper_id", ParameterKind.String, "The Semantic Scholar paper ID, or an arXiv id such as 'arXiv:1706.03762'.", true) { NonEmpty = true }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var id = arguments.RequiredString("paper_id").Trim();
        var arxivId = DirectArxivId(id);
        if (arxivId is null)
        {
            var (json, error) = await scholar.GetJsonAsync(
                $"paper/{SemanticScholarClient.EscapeId(id)}?fields=title,externalIds",
                $"arXiv id of paper '{id}'",
                cancellationToken).ConfigureAwait(false);
            if (json is null)
            {
                return Fail($"{Name}: {error}");
            }

            using (json)
            {
                arxivId = SemanticScholarClient.ArxivId(json.RootElement);
                if (arxivId is null)
                {
                    return Fail($"{Name}: paper '{id}' ({SemanticScholarClient.Str(json.RootElement, "title")}) has no arXiv version, so no PDF can be downloaded; use get_paper_details for its abstract.");
                }
            }
        }

        var (pdf, pdfError) = await arxiv.GetPdfAsync(arxivId, cancellationToken).ConfigureAwait(false);
        if (pdf is null)
        {
            return Fail($"{Name}: {pdfError}");
        }

        var fileName = arxivId.Replace('/', '_');
        var pdfPath = Path.Combine(runtime.Guard.Root, "papers", fileName + ".pdf");
        runtime.Files.WriteAllBytes(pdfPath, pdf);
        var saved = string.Create(CultureInfo.InvariantCulture, $"Saved {runtime.Guard.Relative(pdfPath)} ({pdf.Length} bytes).");

        string text;
        int pages;
        try
        {
            (text, pages) = ExtractText(pdf);
        }
        catch (Exception ex)
        {
            return Ok($"{saved} Its text could not be extracted ({ex.Message}); read it with a PDF tool of your own.");
        }

        var textPath = Path.ChangeExtension(pdfPath, ".txt");
        runtime.Files.WriteAllBytes(textPath, CodeFile.Utf8.GetBytes(text));
        var header = string.Create(CultureInfo.InvariantCulture, $"{saved} {pages} pages; text saved to {runtime.Guard.Relative(textPath)}.\n\n");
        return Ok(header + runtime.Cap(text));
    }

    /// <summary>The arXiv id when <paramref name="id"/> is one (<c>arXiv:1706.03762</c>, <c>1706.03762v5</c>, <c>hep-th/9901001</c>).</summary>
    /// <param name="id">The id the model gave.</param>
    /// <returns>The arXiv id or null.</returns>
    internal static string? DirectArxivId(string id)
    {
        var bare = id.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase) ? id[6..] : id;
        return ArxivIdPattern().IsMatch(bare) ? bare : null;
    }

    private static (string Text, int Pages) ExtractText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            text.Append(ContentOrderTextExtractor.GetText(page)).Append("\n\n");
        }

        return (text.ToString(), document.NumberOfPages);
    }

    [GeneratedRegex(@"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")]
    private static partial Regex ArxivIdPattern();
}
