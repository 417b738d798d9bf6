using System.CommandLine;
using Mlrb.Cli.Commands.Results;
using Mlrb.Tasks.Results;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb results</c> verb: the benchmark's results table from the run store.</summary>
internal static class ResultsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var db = new Option<string?>("--db") { Description = StoreLocations.Help + "runs/mlrb.db." };
        var task = new Option<string?>("--task") { Description = "Only runs of this task." };
        var agent = new Option<string?>("--agent") { Description = "Only runs of this agent: a run label, or provider/model (e.g. openai/gpt-4o)." };
        var runs = new Option<bool>("--runs") { Description = "Also list every run (with --csv: the runs instead of the summary)." };
        var json = new Option<bool>("--json") { Description = "Write the whole report (summaries and runs) as JSON." };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (full precision)." };
        var html = new Option<string?>("--html") { Description = "Also write the table, a bar chart of mean score with error bars, and every run as one self-contained HTML file." };
        var command = new Command(
            "results",
            "Per task and agent: runs, scored, failures by outcome, mean score with failures as 0, mean of scored runs, standard error, best run, cost, tokens, wall time.")
        {
            db, task, agent, runs, json, csv, html,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(csv))
            {
                result.AddError("--json and --csv cannot be combined.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var filter = new ResultsFilter { Task = parse.GetValue(task), Agent = parse.GetValue(agent) };
            var format = parse.GetValue(json) ? ResultsOutput.Json : parse.GetValue(csv) ? ResultsOutput.Csv : ResultsOutput.Table;
            var rc = await ResultsPrinter.PrintStoreAsync(
                parse.GetValue(db), filter, format, parse.GetValue(runs), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            return rc == 0 && parse.GetValue(html) is { } file
                ? await ResultsHtml.WriteAsync(StoreLocations.Resolve(parse.GetValue(db), Path.Combine("runs", "mlrb.db")), filter, file, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false)
                : rc;
        });
        return command;
    }
}
