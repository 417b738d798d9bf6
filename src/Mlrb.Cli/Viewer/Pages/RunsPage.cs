using System.Text;
using Mlrb.Tasks.Results;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Pages;

/// <summary>The runs list: filter form, sortable table, and (while any run is going) a poller that refreshes the rows.</summary>
internal static class RunsPage
{
    private static readonly string[] Columns = ["task", "agent", "outcome", "score", "cost", "tokens", "wall", "started"];

    /// <summary>The live-update script: polls <c>/api/runs</c> and rewrites cells with textContent (never as HTML).</summary>
    public const string Script = """
        (function(){
          const table=document.getElementById('runs');if(!table||table.dataset.live!=='1')return;
          async function tick(){
            try{
              const r=await fetch('/api/runs',{cache:'no-store'});if(!r.ok)return;
              const runs=await r.json();let unknown=false;
              for(const run of runs){
                const row=table.querySelector('tr[data-run="'+CSS.escape(run.id)+'"]');
                if(!row){unknown=true;continue;}
                for(const k of ['outcome','score','cost','tokens','wall']){const c=row.querySelector('[data-field="'+k+'"]');if(c&&c.textContent!==run[k])c.textContent=run[k];}
              }
              if(unknown)location.reload();
              if(runs.some(x=>x.running))setTimeout(tick,2000);
            }catch(e){setTimeout(tick,5000);}
          }
          setTimeout(tick,2000);
        })();
        """;

    /// <summary>Renders the page body.</summary>
    public static string Render(IReadOnlyList<RunRecord> all, RunsQuery query, string databasePath, DateTimeOffset now)
    {
        var runs = Sort(Filter(all, query), query, now).ToList();
        var sb = new StringBuilder();
        sb.Append("<h1>Runs</h1><p class=\"muted\">").Append(E(databasePath)).Append(" · ").Append(Count(all.Count)).Append(" runs, ")
          .Append(Count(runs.Count)).Append(" shown</p>");
        sb.Append("<form class=\"filters\" method=\"get\" action=\"/\">");
        Select(sb, "task", "Task", all.Select(r => r.TaskName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), query.Task);
        sb.Append("<label>Agent contains<input name=\"agent\" value=\"").Append(E(query.Agent)).Append("\"></label>");
        Select(sb, "outcome", "Outcome", Enum.GetValues<RunOutcome>().Select(o => o.ToName()).Prepend("running"), query.Outcome);
        sb.Append("<input type=\"hidden\" name=\"sort\" value=\"").Append(E(query.Sort)).Append("\">");
        sb.Append("<input type=\"hidden\" name=\"dir\" value=\"").Append(query.Descending ? "desc" : "asc").Append("\">");
        sb.Append("<button type=\"submit\">Filter</button> <a href=\"/\">clear</a></form>");

        var live = all.Any(r => r.Status == RunStatus.Running);
        sb.Append("<table id=\"runs\" data-live=\"").Append(live ? "1" : "0").Append("\"><thead><tr><th>run</th>");
        foreach (var column in Columns)
        {
            var numeric = column is "score" or "cost" or "tokens" or "wall";
            var dir = query.Sort == column && query.Descending ? "asc" : "desc";
            var arrow = query.Sort == column ? (query.Descending ? " ▼" : " ▲") : "";
            sb.Append(numeric ? "<th class=\"num\">" : "<th>")
              .Append("<a href=\"/?").Append(Link(query with { Sort = column, Descending = dir == "desc" })).Append("\">")
              .Append(column == "wall" ? "wall time" : column).Append(arrow).Append("</a></th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var run in runs)
        {
            sb.Append("<tr data-run=\"").Append(E(run.RunId)).Append("\"><td><a href=\"/runs/").Append(U(run.RunId)).Append("\">").Append(E(run.RunId)).Append("</a></td>");
            sb.Append("<td>").Append(E(run.TaskName)).Append("</td>");
            sb.Append("<td>").Append(E(ResultsLedger.AgentName(run)));
            if (!string.IsNullOrWhiteSpace(run.Label))
            {
                sb.Append("<br><span class=\"muted\">").Append(E($"{run.Provider}/{run.Model}")).Append("</span>");
            }

            sb.Append("</td><td data-field=\"outcome\" class=\"").Append(RunFacts.OutcomeClass(run)).Append("\">").Append(E(RunFacts.OutcomeText(run))).Append("</td>");
            sb.Append("<td class=\"num\" data-field=\"score\">").Append(N(run.Score)).Append("</td>");
            sb.Append("<td class=\"num\" data-field=\"cost\">").Append(Usd(run.CostUsd)).Append("</td>");
            sb.Append("<td class=\"num\" data-field=\"tokens\">").Append(Count(RunFacts.Tokens(run))).Append("</td>");
            sb.Append("<td class=\"num\" data-field=\"wall\">").Append(Duration(RunFacts.Wall(run, now))).Append("</td>");
            sb.Append("<td>").Append(Time(run.StartedAt)).Append("</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (runs.Count == 0)
        {
            sb.Append("<p class=\"muted\">No runs match.</p>");
        }

        return sb.ToString();
    }

    private static IEnumerable<RunRecord> Filter(IEnumerable<RunRecord> runs, RunsQuery q) => runs
        .Where(r => q.Task is null || r.TaskName == q.Task)
        .Where(r => q.Agent is null || ResultsLedger.AgentName(r).Contains(q.Agent, StringComparison.OrdinalIgnoreCase))
        .Where(r => q.Outcome is null
            || (q.Outcome == "running" ? r.Status == RunStatus.Running : r.Outcome?.ToName() == q.Outcome));

    private static IEnumerable<RunRecord> Sort(IEnumerable<RunRecord> runs, RunsQuery q, DateTimeOffset now)
    {
        Func<RunRecord, IComparable?> key = q.Sort switch
        {
            "task" => r => r.TaskName,
            "agent" => r => ResultsLedger.AgentName(r),
            "outcome" => r => RunFacts.OutcomeText(r),
            "score" => r => r.Score ?? double.NegativeInfinity,
            "cost" => r => r.CostUsd ?? -1m,
            "tokens" => r => RunFacts.Tokens(r),
            "wall" => r => RunFacts.Wall(r, now),
            _ => r => r.StartedAt,
        };
        return q.Descending ? runs.OrderByDescending(key).ThenBy(r => r.RunId, StringComparer.Ordinal) : runs.OrderBy(key).ThenBy(r => r.RunId, StringComparer.Ordinal);
    }

    private static string Link(RunsQuery q) =>
        string.Join("&amp;", new[] { ("task", q.Task), ("agent", q.Agent), ("outcome", q.Outcome), ("sort", q.Sort), ("dir", q.Descending ? "desc" : "asc") }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={U(p.Item2)}"));

    private static void Select(StringBuilder sb, string name, string label, IEnumerable<string> values, string? selected)
    {
        sb.Append("<label>").Append(label).Append("<select name=\"").Append(name).Append("\"><option value=\"\">any</option>");
        foreach (var v in values)
        {
            sb.Append("<option value=\"").Append(E(v)).Append('"').Append(v == selected ? " selected" : "").Append('>').Append(E(v)).Append("</option>");
        }

        sb.Append("</select></label>");
    }
}
