using System.Text;

namespace Mlrb.Cli.Viewer.Html;

/// <summary>
/// Wraps a page body in the common document: inline CSS, navigation, and (when served) the page's own script under the
/// request's CSP nonce. Exports get no script at all and a meta CSP that forbids every fetch.
/// </summary>
internal static class PageLayout
{
    /// <summary>Builds the whole document.</summary>
    /// <param name="title">Page title (encoded here).</param>
    /// <param name="body">The body HTML (already encoded by the page).</param>
    /// <param name="nonce">The request's CSP nonce; null for a self-contained export.</param>
    /// <param name="script">The page's script (trusted, written by us), or null.</param>
    public static string Document(string title, string body, string? nonce, string? script = null)
    {
        var sb = new StringBuilder(body.Length + ViewerCss.Text.Length + 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<meta name=\"color-scheme\" content=\"light dark\">");
        if (nonce is null)
        {
            // A file opened from disk has no response headers: the policy travels in the document and allows nothing external.
            sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
        }

        sb.Append("<title>").Append(HtmlText.E(title)).Append(" · mlrb</title>");
        sb.Append(nonce is null ? "<style>" : $"<style nonce=\"{nonce}\">").Append(ViewerCss.Text).Append("</style></head><body>");
        sb.Append("<header class=\"top\"><b>mlrb</b>");
        if (nonce is not null)
        {
            sb.Append("<a href=\"/\">Runs</a><a href=\"/results\">Results</a><a href=\"/reports\">Evaluation reports</a>");
        }
        else
        {
            sb.Append("<span class=\"muted\">exported ").Append(HtmlText.Time(DateTimeOffset.UtcNow)).Append("</span>");
        }

        sb.Append("</header><main>").Append(body).Append("</main>");
        if (nonce is not null && script is not null)
        {
            sb.Append("<script nonce=\"").Append(nonce).Append("\">").Append(script).Append("</script>");
        }

        sb.Append("</body></html>\n");
        return sb.ToString();
    }
}
