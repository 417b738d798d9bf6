using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Html;
using Mlrb.Cli.Viewer.Pages;
using Mlrb.Tasks.Results;

namespace Mlrb.Cli.Viewer;

/// <summary>Self-contained HTML documents (inline CSS and SVG, no script, no external reference) for runs, results and reports.</summary>
internal static class ViewerExports
{
    /// <summary>One run with every step and the whole transcript; null when there is no such run.</summary>
    public static string? Run(ViewerStore store, string runId)
    {
        var run = store.GetRun(runId);
        if (run is null)
        {
            return null;
        }

        var count = store.CountMessages(runId);
        var data = new RunPageData
        {
            Run = run,
            AllSteps = store.GetSteps(runId),
            Messages = store.GetMessages(runId, 0, int.MaxValue),
            MessageCount = count,
            Evaluations = store.GetEvaluations(runId),
        };
        return PageLayout.Document($"Run {runId}", RunPage.Render(data, DateTimeOffset.UtcNow, export: true), nonce: null);
    }

    /// <summary>The results table, chart and runs of a results report (as <c>mlrb results</c> computes it).</summary>
    public static string Results(ResultsReport report, string source) =>
        PageLayout.Document("Results", ResultsPage.Render(report, source, export: true), nonce: null);

    /// <summary>One evaluation report (the JSON <c>mlrb eval</c> writes).</summary>
    public static string Report(JsonObject report)
    {
        var sb = new StringBuilder("<h1>").Append(HtmlText.E(ReportView.Title(report))).Append("</h1>");
        ReportView.Append(sb, report);
        return PageLayout.Document(ReportView.Title(report), sb.ToString(), nonce: null);
    }

    /// <summary>Writes a document to a file atomically (temp file, then move).</summary>
    public static void Write(string path, string html)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var temp = full + ".tmp";
        File.WriteAllText(temp, html, new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }
}
