using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Cli.Viewer.Data;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>Two evaluation reports side by side: aggregates and every subtask's first metric, with B − A differences.</summary>
internal static class ComparePage
{
    /// <summary>Renders the page body.</summary>
    public static string Render(ReportFile a, ReportFile b)
    {
        var sb = new StringBuilder("<h1>Compare reports</h1><dl class=\"kv\">");
        sb.Append("<dt>A</dt><dd>").Append(E(a.Name)).Append(" · ").Append(E(ReportView.Title(a.Report))).Append("</dd>");
        sb.Append("<dt>B</dt><dd>").Append(E(b.Name)).Append(" · ").Append(E(ReportView.Title(b.Report))).Append("</dd></dl>");
        sb.Append("<h2>Aggregates</h2>");
        Table(sb, "aggregates", Aggregates(a.Report), Aggregates(b.Report));
        sb.Append("<h2>Subtasks</h2>");
        Table(sb, "subtasks", ReportView.Subtasks(a.Report).ToDictionary(s => s.Name, s => (s.Value, s.Stderr)), ReportView.Subtasks(b.Report).ToDictionary(s => s.Name, s => (s.Value, s.Stderr)));
        return sb.ToString();
    }

    private static Dictionary<string, (double? Value, double? Stderr)> Aggregates(JsonObject report) =>
        (report["aggregates"] as JsonArray ?? []).OfType<JsonObject>()
            .GroupBy(x => ReportView.Str(x["name"]))
            .ToDictionary(g => g.Key, g => (ReportView.Num(g.First()["value"]), ReportView.Num(g.First()["stderr"])));

    private static void Table(StringBuilder sb, string id, Dictionary<string, (double? Value, double? Stderr)> a, Dictionary<string, (double? Value, double? Stderr)> b)
    {
        sb.Append("<table id=\"compare-").Append(id).Append("\"><thead><tr><th>name</th><th class=\"num\">A</th><th class=\"num\">± A</th><th class=\"num\">B</th><th class=\"num\">± B</th><th class=\"num\">B − A</th></tr></thead><tbody>");
        foreach (var name in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var va = a.TryGetValue(name, out var x) ? x : default;
            var vb = b.TryGetValue(name, out var y) ? y : default;
            double? diff = va.Value is { } p && vb.Value is { } q ? q - p : null;
            var cls = diff is > 0 ? "diff-pos" : diff is < 0 ? "diff-neg" : "";
            sb.Append("<tr data-name=\"").Append(E(name)).Append("\"><td>").Append(E(name)).Append("</td><td class=\"num\">").Append(N(va.Value, 4)).Append("</td><td class=\"num\">").Append(N(va.Stderr, 4))
              .Append("</td><td class=\"num\">").Append(N(vb.Value, 4)).Append("</td><td class=\"num\">").Append(N(vb.Stderr, 4)).Append("</td><td class=\"num ").Append(cls).Append("\">")
              .Append(diff is { } d ? (d > 0 ? "+" : "") + N(d, 4) : "—").Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
    }
}
