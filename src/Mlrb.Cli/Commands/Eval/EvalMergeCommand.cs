using System.CommandLine;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>The <c>mlrb eval merge</c> verb: combines the partial reports of <c>mlrb eval --shard I/N</c>.</summary>
internal static class EvalMergeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "The partial reports of all N shards (*.shard-I-of-N.json); with --run, by default those in the run's shard folder.", Arity = ArgumentArity.ZeroOrMore };
        var run = new Option<string?>("--run") { Description = "Merge the shards of this stored run's submission (mlrb eval --run ID --shard I/N) and store its score with the run." };
        var db = new Option<string?>("--db") { Description = "With --run: the " + StoreLocations.Help + "runs/mlrb.db." };
        var json = new Option<bool>("--json") { Description = "Print the merged report as JSON instead of a table." };
        var output = new Option<string>("--output", "--out") { Description = "Folder for the merged report (as mlrb eval writes it).", DefaultValueFactory = _ => "results" };
        var command = new Command("merge", "Combine the partial reports of `mlrb eval --shard I/N` into the report an unsharded run gives (same predictions and aggregates); refuses shards of different models, data, settings or code versions, duplicate or missing shards.")
        {
            files, json, output, run, db,
        };
        command.SetAction(parse =>
        {
            var outWriter = parse.InvocationConfiguration.Output;
            var errWriter = parse.InvocationConfiguration.Error;
            if (parse.GetValue(run) is { } runId)
            {
                var store = StoreLocations.Resolve(parse.GetValue(db), Path.Combine("runs", "mlrb.db"));
                return CtrlC.Run(errWriter, ct => RunShardEval.MergeAsync(runId, store, parse.GetValue(files) ?? [], outWriter, errWriter, ct), "eval merge");
            }

            return CtrlC.Run(errWriter, ct => EvalMerge.RunAsync(parse.GetValue(files) ?? [], parse.GetValue(json), parse.GetValue(output)!, outWriter, errWriter, ct), "eval merge");
        });
        return command;
    }
}
