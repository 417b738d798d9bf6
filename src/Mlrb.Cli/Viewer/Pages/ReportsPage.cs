using System.Text;
using Mlrb.Cli.Viewer.Data;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>Lists the results folder's evaluation reports, with a form to compare two.</summary>
internal static class ReportsPage
{
    /// <summary>Renders the page body.</summary>
    public static string Render(IReadOnlyList<ReportFile> reports, string? folder)
    {
        var sb = new StringBuilder("<h1>Evaluation reports</h1>");
        sb.Append("<p class=\"muted\">").Append(E(folder ?? "no --results folder")).Append(" · ").Append(reports.Count).Append(" reports</p>");
        if (reports.Count == 0)
        {
            return sb.Append("<p class=\"muted\">No reports found. <code>mlrb eval</code> writes them to results/.</p>").ToString();
        }

        sb.Append("<form class=\"filters\" method=\"get\" action=\"/compare\">");
        foreach (var side in new[] { "a", "b" })
        {
            sb.Append("<label>Report ").Append(side.ToUpperInvariant()).Append("<select name=\"").Append(side).Append("\">");
            for (var i = 0; i < reports.Count; i++)
            {
                var selected = (side == "a" && i == Math.Min(1, reports.Count - 1)) || (side == "b" && i == 0);
                sb.Append("<option value=\"").Append(E(reports[i].Name)).Append('"').Append(selected ? " selected" : "").Append('>').Append(E(reports[i].Name)).Append("</option>");
            }

            sb.Append("</select></label>");
        }

        sb.Append("<button type=\"submit\">Compare</button></form>");
        sb.Append("<table id=\"reports\"><thead><tr><th>report</th><th>task</th><th>benchmark</th><th>model</th><th>aggregate</th><th class=\"num\">value</th><th>written</th></tr></thead><tbody>");
        foreach (var r in reports)
        {
            var aggregate = (r.Report["aggregates"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault();
            sb.Append("<tr><td><a href=\"/reports/").Append(U(r.Name)).Append("\">").Append(E(r.Name)).Append("</a></td><td>").Append(E(ReportView.Str(r.Report["task"])))
              .Append("</td><td>").Append(E(ReportView.Str(r.Report["benchmark"]))).Append("</td><td>").Append(E(ReportView.Str(r.Report["model"]?["path"])))
              .Append("</td><td>").Append(E(ReportView.Str(aggregate?["name"]))).Append("</td><td class=\"num\">").Append(N(ReportView.Num(aggregate?["value"]), 4))
              .Append("</td><td>").Append(Time(r.Modified)).Append("</td></tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }
}
