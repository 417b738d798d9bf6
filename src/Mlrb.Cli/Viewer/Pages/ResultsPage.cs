using System.Text;
using Mlrb.Cli.Viewer.Svg;
using Mlrb.Tasks.Results;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>
/// The <c>mlrb results</c> table (task × agent, from <see cref="ResultsLedger"/>) and a bar chart of the mean score with
/// standard-error bars and one dot per run. <c>scoredOnly</c> charts the mean over scored runs (the paper's Figure 1)
/// instead of the mean with failures as 0.
/// </summary>
internal static class ResultsPage
{
    /// <summary>Renders the page body; <paramref name="export"/> drops links.</summary>
    public static string Render(ResultsReport report, string source, bool export, bool scoredOnly = false)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>Results</h1><p class=\"muted\">").Append(E(source)).Append(" · ").Append(Count(report.Runs.Count)).Append(" runs. ").Append(E(report.Note)).Append("</p>");
        if (report.Summaries.Count == 0)
        {
            sb.Append("<p class=\"muted\">No runs yet.</p>");
            return sb.ToString();
        }

        if (!export)
        {
            sb.Append("<p>Chart: ").Append(scoredOnly ? "<a href=\"/results\">mean, failures as 0</a> · <b>mean of scored runs</b>" : "<b>mean, failures as 0</b> · <a href=\"/results?mean=scored\">mean of scored runs</a>").Append("</p>");
        }

        var groups = report.Summaries.Where(s => (scoredOnly ? s.MeanScoredScore : s.MeanScore) is not null)
            .GroupBy(s => s.Task, StringComparer.Ordinal)
            .Select(g => new BarGroup(g.Key, g.Select(s => new Bar(
                s.Agent,
                (scoredOnly ? s.MeanScoredScore : s.MeanScore) ?? 0,
                scoredOnly ? s.StandardErrorScored : s.StandardError,
                Points(report, s, scoredOnly))).ToList()))
            .ToList();
        if (groups.Count > 0)
        {
            sb.Append(SvgBarChart.Render(groups, scoredOnly ? "mean score of scored runs (task metric)" : "mean score, failures as 0 (task metric)", "Mean score per task and agent"));
        }

        sb.Append("<table id=\"results\"><thead><tr><th>task</th><th>agent</th><th class=\"num\">runs</th><th class=\"num\">finished</th><th class=\"num\">pending</th><th class=\"num\">scored</th>")
          .Append("<th>failures</th><th class=\"num\">mean</th><th class=\"num\">SE</th><th class=\"num\">mean scored</th><th class=\"num\">SE scored</th><th class=\"num\">best</th><th class=\"num\">cost</th><th class=\"num\">tokens</th><th class=\"num\">wall time</th></tr></thead><tbody>");
        foreach (var s in report.Summaries)
        {
            sb.Append("<tr data-task=\"").Append(E(s.Task)).Append("\" data-agent=\"").Append(E(s.Agent)).Append("\"><td>").Append(E(s.Task)).Append("</td><td>").Append(E(s.Agent))
              .Append("</td><td class=\"num\">").Append(s.Runs).Append("</td><td class=\"num\">").Append(s.Finished).Append("</td><td class=\"num\">").Append(s.Pending)
              .Append("</td><td class=\"num\">").Append(s.Scored).Append("</td><td>").Append(E(string.Join(", ", s.Failures.Where(f => f.Value > 0).Select(f => $"{f.Key} {f.Value}"))))
              .Append("</td><td class=\"num\">").Append(N(s.MeanScore)).Append("</td><td class=\"num\">").Append(N(s.StandardError)).Append("</td><td class=\"num\">").Append(N(s.MeanScoredScore))
              .Append("</td><td class=\"num\">").Append(N(s.StandardErrorScored)).Append("</td><td class=\"num\">").Append(N(s.BestScore)).Append("</td><td class=\"num\">").Append(Usd(s.TotalCostUsd))
              .Append("</td><td class=\"num\">").Append(Count(s.InputTokens + s.OutputTokens)).Append("</td><td class=\"num\">").Append(Duration(TimeSpan.FromSeconds(s.TotalWallSeconds))).Append("</td></tr>");
        }

        sb.Append("</tbody></table><h2>Runs</h2><table id=\"result-runs\"><thead><tr><th>run</th><th>task</th><th>agent</th><th>outcome</th><th class=\"num\">score</th><th class=\"num\">counted</th><th class=\"num\">cost</th><th class=\"num\">tokens</th><th>started</th></tr></thead><tbody>");
        foreach (var r in report.Runs)
        {
            sb.Append("<tr data-run=\"").Append(E(r.RunId)).Append("\"><td>").Append(export ? E(r.RunId) : $"<a href=\"/runs/{U(r.RunId)}\">{E(r.RunId)}</a>")
              .Append("</td><td>").Append(E(r.Task)).Append("</td><td>").Append(E(r.Agent)).Append("</td><td>").Append(E(r.Outcome is { } o ? Mlrb.Tasks.Runs.RunOutcomes.ToName(o) : "pending"))
              .Append("</td><td class=\"num\">").Append(N(r.Score)).Append("</td><td class=\"num\">").Append(N(r.CountedScore)).Append("</td><td class=\"num\">").Append(Usd(r.CostUsd))
              .Append("</td><td class=\"num\">").Append(Count(r.InputTokens + r.OutputTokens)).Append("</td><td>").Append(Time(r.StartedAt)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    private static List<double> Points(ResultsReport report, TaskAgentResults s, bool scoredOnly) =>
        report.Runs.Where(r => r.Task == s.Task && r.Agent == s.Agent && r.CountedScore is not null && (!scoredOnly || r.Outcome == Mlrb.Tasks.Runs.RunOutcome.Scored))
            .Select(r => r.CountedScore!.Value).ToList();
}
