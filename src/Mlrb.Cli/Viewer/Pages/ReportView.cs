using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Cli.Viewer.Svg;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>Renders one evaluation report (the JSON <c>mlrb eval</c> writes): aggregates, every subtask with stderr, model statistics, settings, timing.</summary>
internal static class ReportView
{
    /// <summary>The report's title: task, benchmark and model.</summary>
    public static string Title(JsonObject report) =>
        $"{Str(report["task"])} ({Str(report["benchmark"])}) on {Str(report["model"]?["path"])}";

    /// <summary>Appends the report body.</summary>
    public static void Append(StringBuilder sb, JsonObject report)
    {
        sb.Append("<dl class=\"kv\">");
        Kv(sb, "task", Str(report["task"]));
        Kv(sb, "benchmark", Str(report["benchmark"]));
        Kv(sb, "model", Str(report["model"]?["path"]));
        Kv(sb, "model SHA-256", Str(report["model"]?["sha256"]));
        if (report["partial"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            Kv(sb, "partial", "yes: interrupted before every document was scored");
        }

        sb.Append("</dl>");

        if (report["aggregates"] is JsonArray aggregates && aggregates.Count > 0)
        {
            sb.Append("<h2>Scores</h2><table class=\"aggregates\"><thead><tr><th>aggregate</th><th class=\"num\">value</th><th class=\"num\">stderr</th><th>formula</th></tr></thead><tbody>");
            foreach (var a in aggregates.OfType<JsonObject>())
            {
                sb.Append("<tr><td>").Append(E(Str(a["name"]))).Append("</td><td class=\"num\">").Append(N(Num(a["value"]), 4))
                  .Append("</td><td class=\"num\">").Append(N(Num(a["stderr"]), 4)).Append("</td><td class=\"muted\">").Append(E(Str(a["formula"]))).Append("</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        var subtasks = Subtasks(report);
        if (subtasks.Count > 0)
        {
            sb.Append("<h2>Subtasks (").Append(subtasks.Count).Append(")</h2>");
            var bars = subtasks.Where(s => s.Metric is not null).Select(s => new BarGroup(s.Name, [new Bar(s.Metric!, s.Value ?? 0, s.Stderr, [])])).ToList();
            if (bars.Count is > 0 and <= 80)
            {
                sb.Append(SvgBarChart.Render(bars, "score (first metric, 0–1)", "Per-subtask score with standard error"));
            }

            sb.Append("<table class=\"subtasks\"><thead><tr><th>subtask</th><th>group</th><th class=\"num\">documents</th><th>metric</th><th class=\"num\">value</th><th class=\"num\">stderr</th></tr></thead><tbody>");
            foreach (var s in report["subtasks"]!.AsArray().OfType<JsonObject>())
            {
                var metrics = s["metrics"] as JsonObject;
                var first = true;
                foreach (var (metric, value) in metrics ?? [])
                {
                    sb.Append("<tr data-subtask=\"").Append(E(Str(s["name"]))).Append("\"><td>").Append(first ? E(Str(s["name"])) : "").Append("</td><td>").Append(first ? E(Str(s["group"])) : "")
                      .Append("</td><td class=\"num\">").Append(first ? E(Str(s["documents"])) : "").Append("</td><td>").Append(E(metric))
                      .Append("</td><td class=\"num\">").Append(N(Num(value?["value"]), 4)).Append("</td><td class=\"num\">").Append(N(Num(value?["stderr"]), 4)).Append("</td></tr>");
                    first = false;
                }

                if (first)
                {
                    sb.Append("<tr data-subtask=\"").Append(E(Str(s["name"]))).Append("\"><td>").Append(E(Str(s["name"]))).Append("</td><td>").Append(E(Str(s["group"])))
                      .Append("</td><td class=\"num\">").Append(E(Str(s["documents"]))).Append("</td><td colspan=\"3\" class=\"muted\">no metrics</td></tr>");
                }
            }

            sb.Append("</tbody></table>");
        }

        Section(sb, "Model statistics", report["statistics"] as JsonObject);
        Section(sb, "Settings", report["settings"] as JsonObject);
        Section(sb, "Timing", report["timing"] as JsonObject);
        Section(sb, "Data", report["data"] as JsonObject);
        Section(sb, "Versions", report["versions"] as JsonObject);
    }

    /// <summary>Each subtask's name and first metric (value, stderr).</summary>
    public static IReadOnlyList<SubtaskScore> Subtasks(JsonObject report) =>
        (report["subtasks"] as JsonArray ?? []).OfType<JsonObject>().Select(s =>
        {
            var first = (s["metrics"] as JsonObject)?.FirstOrDefault();
            return new SubtaskScore(Str(s["name"]), first?.Key, Num(first?.Value?["value"]), Num(first?.Value?["stderr"]));
        }).ToList();

    /// <summary>A JSON value as display text.</summary>
    public static string Str(JsonNode? node) => node switch
    {
        null => "—",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    /// <summary>A JSON number, or null.</summary>
    public static double? Num(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : node is JsonValue s && s.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p
        : null;

    private static void Section(StringBuilder sb, string title, JsonObject? values)
    {
        if (values is null || values.Count == 0)
        {
            return;
        }

        sb.Append("<h2>").Append(E(title)).Append("</h2><dl class=\"kv\">");
        foreach (var (key, value) in values)
        {
            Kv(sb, key, value is JsonValue ? Str(value) : value?.ToJsonString(PrettyJson.Options) ?? "—");
        }

        sb.Append("</dl>");
    }

    private static void Kv(StringBuilder sb, string key, string value) =>
        sb.Append("<dt>").Append(E(key)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
}
