using System.Text;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Svg;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>The results table (task × agent: runs, mean, SEM) and the bar chart of mean score with SEM error bars and per-run points.</summary>
internal static class ResultsPage
{
    /// <summary>Renders the page body; <paramref name="export"/> drops links.</summary>
    public static string Render(IReadOnlyList<ResultsRow> rows, string source, bool export)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>Results</h1><p class=\"muted\">").Append(E(source)).Append(" · every finished run counts; outcomes other than <i>scored</i> count as 0 (as in the paper). Error bars: standard error of the mean. Dots: single runs.</p>");
        if (rows.Count == 0)
        {
            sb.Append("<p class=\"muted\">No finished runs yet.</p>");
            return sb.ToString();
        }

        var groups = rows.GroupBy(r => r.Task, StringComparer.Ordinal)
            .Select(g => new BarGroup(g.Key, g.Select(r => new Bar(r.Agent, r.Mean, r.Sem, r.Points.Select(p => p.Score).ToList())).ToList()))
            .ToList();
        sb.Append(SvgBarChart.Render(groups, "mean score (task metric)", "Mean score per task and agent"));
        sb.Append("<table id=\"results\"><thead><tr><th>task</th><th>agent</th><th class=\"num\">runs</th><th class=\"num\">scored</th><th class=\"num\">mean</th><th class=\"num\">SEM</th><th>runs (score)</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            sb.Append("<tr data-task=\"").Append(E(r.Task)).Append("\" data-agent=\"").Append(E(r.Agent)).Append("\"><td>").Append(E(r.Task)).Append("</td><td>").Append(E(r.Agent))
              .Append("</td><td class=\"num\">").Append(r.Runs).Append("</td><td class=\"num\">").Append(r.Scored).Append("</td><td class=\"num\">").Append(N(r.Mean))
              .Append("</td><td class=\"num\">").Append(N(r.Sem)).Append("</td><td>");
            foreach (var (runId, score) in r.Points)
            {
                sb.Append("<span class=\"pill\" data-run=\"").Append(E(runId)).Append("\">");
                sb.Append(export ? E(runId) : $"<a href=\"/runs/{U(runId)}\">{E(runId)}</a>");
                sb.Append(' ').Append(N(score)).Append("</span> ");
            }

            sb.Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        return sb.ToString();
    }
}
