using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mlrb.Cli.Viewer.Data;
using Mlrb.Cli.Viewer.Html;
using Mlrb.Cli.Viewer.Pages;
using Mlrb.Tasks.Results;
using Mlrb.Tasks.Storage;

namespace Mlrb.Cli.Viewer.Hosting;

/// <summary>The viewer's routes. Every one is a GET that only reads.</summary>
internal static class ViewerEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(WebApplication app, ViewerStore store, ReportFolder reports)
    {
        app.MapGet("/", (HttpContext c) =>
            Page(c, "Runs", RunsPage.Render(store.ListRuns(), RunsQuery.From(k => c.Request.Query[k].FirstOrDefault()), store.DatabasePath, DateTimeOffset.UtcNow), RunsPage.Script));

        app.MapGet("/runs/{id}", (HttpContext c, string id) =>
        {
            var run = store.GetRun(id);
            if (run is null)
            {
                return NotFound(c, $"No run '{id}' in {store.DatabasePath}.");
            }

            var steps = store.GetSteps(id);
            var stepPages = Math.Max(1, (steps.Count + RunPage.StepsPerPage - 1) / RunPage.StepsPerPage);
            var messageCount = store.CountMessages(id);
            var messagePages = Math.Max(1, (messageCount + RunPage.MessagesPerPage - 1) / RunPage.MessagesPerPage);
            var sp = Clamp(c.Request.Query["sp"], stepPages - 1, stepPages);
            var mp = Clamp(c.Request.Query["mp"], 0, messagePages);
            var data = new RunPageData
            {
                Run = run,
                AllSteps = steps,
                StepPage = sp,
                Messages = store.GetMessages(id, mp * RunPage.MessagesPerPage, RunPage.MessagesPerPage),
                MessageCount = messageCount,
                MessagePage = mp,
                Evaluations = store.GetEvaluations(id),
            };
            return Page(c, $"Run {id}", RunPage.Render(data, DateTimeOffset.UtcNow, export: false), RunPage.Script);
        });

        app.MapGet("/runs/{id}/export", (string id) =>
        {
            var html = ViewerExports.Run(store, id);
            return html is null
                ? Results.NotFound()
                : Results.File(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", $"{id}.html");
        });

        app.MapGet("/api/runs", () => Results.Json(store.ListRuns().Select(r => new
        {
            id = r.RunId,
            running = r.Status == RunStatus.Running,
            outcome = RunFacts.OutcomeText(r),
            score = HtmlText.N(r.Score),
            cost = HtmlText.Usd(r.CostUsd),
            tokens = HtmlText.Count(RunFacts.Tokens(r)),
            wall = HtmlText.Duration(RunFacts.Wall(r, DateTimeOffset.UtcNow)),
        })));

        app.MapGet("/api/runs/{id}/steps", (string id, long? after) =>
        {
            var run = store.GetRun(id);
            if (run is null)
            {
                return Results.NotFound();
            }

            var since = after ?? 0;
            var before = store.GetSteps(id).Count(s => s.Id <= since);
            var steps = store.GetSteps(id, since, 0, 1000);
            return Results.Json(new
            {
                running = run.Status == RunStatus.Running,
                status = run.Status.ToString(),
                tokens = $"{HtmlText.Count(run.InputTokens)} in / {HtmlText.Count(run.OutputTokens)} out",
                steps = steps.Select((s, i) => RunPage.StepJson(s, before + i + 1, run.StartedAt)),
            });
        });

        app.MapGet("/results", (HttpContext c) =>
            Page(c, "Results", ResultsPage.Render(ResultsLedger.Summarize(store.ListRuns()), store.DatabasePath, export: false, c.Request.Query["mean"] == "scored"), null));

        app.MapGet("/reports", (HttpContext c) => Page(c, "Evaluation reports", ReportsPage.Render(reports.List(), reports.FolderPath), null));

        app.MapGet("/reports/{name}", (HttpContext c, string name) =>
        {
            var report = reports.Find(name);
            if (report is null)
            {
                return NotFound(c, $"No evaluation report '{name}' in {reports.FolderPath ?? "(no --results folder)"}.");
            }

            var sb = new System.Text.StringBuilder("<h1>").Append(HtmlText.E(ReportView.Title(report.Report))).Append("</h1><p class=\"muted\">").Append(HtmlText.E(report.Name)).Append("</p>");
            ReportView.Append(sb, report.Report);
            return Page(c, report.Name, sb.ToString(), null);
        });

        app.MapGet("/compare", (HttpContext c, string? a, string? b) =>
        {
            var left = reports.Find(a);
            var right = reports.Find(b);
            return left is null || right is null
                ? NotFound(c, "Choose two reports from the list to compare.")
                : Page(c, "Compare reports", ComparePage.Render(left, right), null);
        });
    }

    private static IResult Page(HttpContext context, string title, string body, string? script) =>
        Results.Content(PageLayout.Document(title, body, (string)context.Items[AccessGuard.NonceKey]!, script), "text/html; charset=utf-8");

    private static IResult NotFound(HttpContext context, string message)
    {
        var html = PageLayout.Document("Not found", $"<h1>Not found</h1><p>{HtmlText.E(message)}</p>", (string)context.Items[AccessGuard.NonceKey]!);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    private static int Clamp(string? value, int fallback, int pages) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 0, pages - 1) : Math.Clamp(fallback, 0, pages - 1);
}
