using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Tasks.Results;
using Mlrb.Cli.Viewer.Svg;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>One run: summary, plan and re-plans, usage chart with budget lines, steps, transcript, submission and evaluations.</summary>
internal static class RunPage
{
    /// <summary>Steps per page.</summary>
    public const int StepsPerPage = 500;

    /// <summary>Transcript messages per page.</summary>
    public const int MessagesPerPage = 100;

    private const int MaxArguments = 4_000;
    private const int MaxOutput = 8_000;

    /// <summary>Live script: appends steps written after the last one shown (built with textContent, never parsed as HTML).</summary>
    public const string Script = """
        (function(){
          const table=document.getElementById('steps');if(!table||table.dataset.live!=='1')return;
          const body=table.tBodies[0];let after=Number(table.dataset.after||0);const run=table.dataset.run;
          function cell(tr,text,cls){const td=document.createElement('td');if(cls)td.className=cls;const pre=document.createElement('pre');pre.textContent=text;td.appendChild(pre);tr.appendChild(td);}
          async function tick(){
            try{
              const r=await fetch('/api/runs/'+encodeURIComponent(run)+'/steps?after='+after,{cache:'no-store'});if(!r.ok){setTimeout(tick,5000);return;}
              const data=await r.json();
              for(const s of data.steps){
                const tr=document.createElement('tr');tr.dataset.step=s.id;
                for(const v of [s.number,s.elapsed,s.agent,s.kind,s.tool]){const td=document.createElement('td');td.textContent=v;tr.appendChild(td);}
                cell(tr,s.arguments);const st=document.createElement('td');st.textContent=s.status;tr.appendChild(st);
                cell(tr,s.output);const d=document.createElement('td');d.className='num';d.textContent=s.duration;tr.appendChild(d);
                body.appendChild(tr);after=Math.max(after,s.id);
              }
              const status=document.getElementById('run-status');if(status&&data.status)status.textContent=data.status;
              const tokens=document.getElementById('run-tokens');if(tokens&&data.tokens)tokens.textContent=data.tokens;
              if(data.running)setTimeout(tick,1500);
            }catch(e){setTimeout(tick,5000);}
          }
          setTimeout(tick,1500);
        })();
        """;

    /// <summary>Renders the page body; <paramref name="export"/> drops links and scripts.</summary>
    public static string Render(RunPageData data, DateTimeOffset now, bool export)
    {
        var run = data.Run;
        var sb = new StringBuilder();
        sb.Append("<h1>Run ").Append(E(run.RunId)).Append("</h1><dl class=\"kv\">");
        Kv(sb, "task", E(run.TaskName));
        Kv(sb, "agent", E(ResultsLedger.AgentName(run)));
        Kv(sb, "provider / model", E($"{run.Provider ?? "?"} / {run.Model ?? "?"}"));
        Kv(sb, "status", $"<span id=\"run-status\">{E(run.Status.ToString())}</span>");
        Kv(sb, "outcome", $"<span class=\"{RunFacts.OutcomeClass(run)}\">{E(RunFacts.OutcomeText(run))}</span>" + (run.OutcomeDetail is { } d ? $" <span class=\"muted\">{E(d)}</span>" : ""));
        Kv(sb, "score", N(run.Score, 4));
        Kv(sb, "cost", Usd(run.CostUsd));
        Kv(sb, "tokens", $"<span id=\"run-tokens\">{Count(run.InputTokens)} in / {Count(run.OutputTokens)} out</span>");
        Kv(sb, "wall time", Duration(RunFacts.Wall(run, now)) + (run.TimeLimit is { } limit ? $" of {Duration(limit)} allowed" : ""));
        Kv(sb, "started", Time(run.StartedAt));
        Kv(sb, "finished", Time(run.FinishedAt));
        Kv(sb, "stop reason", E(run.StopReason ?? "—"));
        Kv(sb, "workspace", E(run.WorkspacePath));
        sb.Append("</dl>");
        if (!export)
        {
            sb.Append("<p><a href=\"/runs/").Append(U(run.RunId)).Append("/export\">Download as one self-contained HTML file</a></p>");
        }

        AppendPlans(sb, data.AllSteps);
        AppendChart(sb, run, data.AllSteps, now);
        AppendSteps(sb, data, export);
        AppendTranscript(sb, data, export);
        AppendSubmission(sb, run, data.Evaluations);
        return sb.ToString();
    }

    /// <summary>A step as the live script receives it.</summary>
    public static object StepJson(StepRecord s, int number, DateTimeOffset runStart) => new
    {
        id = s.Id,
        number = number.ToString(CultureInfo.InvariantCulture),
        elapsed = Duration(s.StartedAt - runStart),
        agent = s.Agent,
        kind = s.Kind,
        tool = s.Tool ?? "",
        arguments = Cap(PrettyJson.Format(s.ArgumentsJson), MaxArguments),
        status = s.Status.ToString(),
        output = Cap(Output(s), MaxOutput),
        duration = Duration(s.CompletedAt - s.StartedAt),
    };

    private static void AppendPlans(StringBuilder sb, IReadOnlyList<StepRecord> steps)
    {
        var plans = steps.Where(s => s.Kind == "plan").ToList();
        sb.Append("<h2>Plan").Append(plans.Count > 1 ? $" and {plans.Count - 1} re-plan{(plans.Count > 2 ? "s" : "")}" : "").Append("</h2>");
        if (plans.Count == 0)
        {
            sb.Append("<p class=\"muted\">No plan step recorded.</p>");
            return;
        }

        var i = 0;
        foreach (var plan in plans)
        {
            sb.Append("<div class=\"msg\"><span class=\"role\">").Append(i++ == 0 ? "plan" : $"re-plan {i - 1}").Append("</span> <span class=\"muted\">")
              .Append(E(plan.Agent)).Append(" · ").Append(Time(plan.StartedAt)).Append("</span>");
            if (!string.IsNullOrWhiteSpace(plan.ArgumentsJson))
            {
                sb.Append("<pre>").Append(E(Cap(PrettyJson.Format(plan.ArgumentsJson), MaxOutput))).Append("</pre>");
            }

            sb.Append("<pre>").Append(E(Cap(Output(plan), MaxOutput))).Append("</pre></div>");
        }
    }

    private static void AppendChart(StringBuilder sb, RunRecord run, IReadOnlyList<StepRecord> steps, DateTimeOffset now)
    {
        sb.Append("<h2>Usage over the run</h2>");
        long input = 0, output = 0;
        var inSeries = new List<(double, double)> { (0, 0) };
        var outSeries = new List<(double, double)> { (0, 0) };
        foreach (var s in steps.OrderBy(s => s.CompletedAt ?? s.StartedAt))
        {
            input += s.InputTokens;
            output += s.OutputTokens;
            var minutes = ((s.CompletedAt ?? s.StartedAt) - run.StartedAt).TotalMinutes;
            inSeries.Add((Math.Max(0, minutes), input));
            outSeries.Add((Math.Max(0, minutes), output));
        }

        var end = RunFacts.Wall(run, now).TotalMinutes;
        inSeries.Add((end, Math.Max(input, run.InputTokens)));
        outSeries.Add((end, Math.Max(output, run.OutputTokens)));
        var lines = new List<(double, string)>();
        if (run.TimeLimit is { } limit)
        {
            lines.Add((limit.TotalMinutes, $"time limit {Duration(limit)}"));
        }

        sb.Append(SvgLineChart.Render(
            [new LineSeries("input tokens (cumulative)", inSeries), new LineSeries("output tokens (cumulative)", outSeries)],
            "elapsed time (minutes)", "tokens", "Tokens over elapsed time", lines));
        sb.Append("<p class=\"muted\">Budget lines: ").Append(run.TimeLimit is null ? "no time limit recorded" : "dashed red = the run's time limit")
          .Append(". Cost: ").Append(Usd(run.CostUsd)).Append(" in total (per-step cost is not stored).</p>");
    }

    private static void AppendSteps(StringBuilder sb, RunPageData data, bool export)
    {
        var all = data.AllSteps;
        var page = data.StepPage;
        var pages = Math.Max(1, (all.Count + StepsPerPage - 1) / StepsPerPage);
        var shown = page < 0 ? all : all.Skip(page * StepsPerPage).Take(StepsPerPage).ToList();
        var first = page < 0 ? 0 : page * StepsPerPage;
        sb.Append("<h2>Steps (").Append(Count(all.Count)).Append(")</h2>");
        if (!export && pages > 1)
        {
            Pager(sb, data.Run.RunId, "sp", page, pages);
        }

        var live = !export && data.Run.Status == RunStatus.Running && (page < 0 || page == pages - 1);
        sb.Append("<table id=\"steps\" data-run=\"").Append(E(data.Run.RunId)).Append("\" data-live=\"").Append(live ? "1" : "0")
          .Append("\" data-after=\"").Append(all.Count > 0 ? all[^1].Id : 0).Append("\"><thead><tr><th>#</th><th>at</th><th>agent</th><th>kind</th><th>tool</th><th>arguments</th><th>status</th><th>output</th><th class=\"num\">duration</th></tr></thead><tbody>");
        var n = first;
        foreach (var s in shown)
        {
            n++;
            sb.Append("<tr data-step=\"").Append(s.Id).Append("\"><td>").Append(n).Append("</td><td>").Append(Duration(s.StartedAt - data.Run.StartedAt))
              .Append("</td><td>").Append(E(s.Agent)).Append("</td><td>").Append(E(s.Kind)).Append("</td><td>").Append(E(s.Tool ?? ""))
              .Append("</td><td><pre>").Append(E(Cap(PrettyJson.Format(s.ArgumentsJson), MaxArguments))).Append("</pre></td><td class=\"")
              .Append(s.Status == StepStatus.Failed ? "bad" : "").Append("\">").Append(E(s.Status.ToString())).Append("</td><td><pre>")
              .Append(E(Cap(Output(s), MaxOutput))).Append("</pre></td><td class=\"num\">").Append(Duration(s.CompletedAt - s.StartedAt)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
    }

    private static void AppendTranscript(StringBuilder sb, RunPageData data, bool export)
    {
        sb.Append("<h2 id=\"transcript\">Transcript (").Append(Count(data.MessageCount)).Append(" messages)</h2>");
        var pages = Math.Max(1, (data.MessageCount + MessagesPerPage - 1) / MessagesPerPage);
        if (!export && data.MessagePage >= 0 && pages > 1)
        {
            Pager(sb, data.Run.RunId, "mp", data.MessagePage, pages);
        }

        if (data.MessageCount == 0)
        {
            sb.Append("<p class=\"muted\">No transcript stored (stores before schema version 2 have none).</p>");
        }

        TranscriptView.Append(sb, data.Messages, (Math.Max(0, data.MessagePage) * MessagesPerPage) + 1);
    }

    private static void AppendSubmission(StringBuilder sb, RunRecord run, IReadOnlyList<EvaluationRecord> evaluations)
    {
        sb.Append("<h2>Submission</h2>");
        sb.Append(run.ResultJson is null ? "<p class=\"muted\">No result recorded.</p>" : "<pre>" + E(Cap(PrettyJson.Format(run.ResultJson), 20_000)) + "</pre>");
        sb.Append("<h2>Evaluations (").Append(evaluations.Count).Append(")</h2>");
        if (evaluations.Count == 0)
        {
            sb.Append("<p class=\"muted\">Not evaluated.</p>");
            return;
        }

        sb.Append("<table><thead><tr><th>finished</th><th>outcome</th><th class=\"num\">score</th><th>score name</th><th>model</th><th>detail</th></tr></thead><tbody>");
        foreach (var e in evaluations)
        {
            sb.Append("<tr><td>").Append(Time(e.FinishedAt)).Append("</td><td>").Append(E(e.Outcome.ToName())).Append("</td><td class=\"num\">").Append(N(e.Score, 4))
              .Append("</td><td>").Append(E(e.ScoreName ?? "")).Append("</td><td>").Append(E(e.ModelPath ?? "")).Append("<br><span class=\"muted\">").Append(E(e.ModelSha256 ?? ""))
              .Append("</span></td><td>").Append(E(e.Detail ?? "")).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (evaluations[^1].ReportJson is { } json && TryParse(json) is { } report)
        {
            sb.Append("<h2>Evaluation report: ").Append(E(ReportView.Title(report))).Append("</h2>");
            ReportView.Append(sb, report);
        }
    }

    private static JsonObject? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Output(StepRecord s) =>
        string.IsNullOrEmpty(s.ErrorExcerpt) ? s.OutputExcerpt ?? "" : $"{s.OutputExcerpt}\n--- error ---\n{s.ErrorExcerpt}";

    private static void Pager(StringBuilder sb, string runId, string parameter, int page, int pages)
    {
        sb.Append("<div class=\"pager\">page ");
        for (var p = 0; p < pages; p++)
        {
            if (pages > 15 && p > 1 && p < pages - 2 && Math.Abs(p - page) > 3)
            {
                if (p == 2 || p == pages - 3)
                {
                    sb.Append("<span>…</span>");
                }

                continue;
            }

            sb.Append(p == page ? $"<span><b>{p + 1}</b></span>" : $"<a href=\"/runs/{U(runId)}?{parameter}={p}#{(parameter == "mp" ? "transcript" : "steps")}\">{p + 1}</a>");
        }

        sb.Append("</div>");
    }

    private static void Kv(StringBuilder sb, string key, string html) => sb.Append("<dt>").Append(E(key)).Append("</dt><dd>").Append(html).Append("</dd>");
}
