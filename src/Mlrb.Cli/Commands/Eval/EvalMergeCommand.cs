using System.CommandLine;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>The <c>mlrb eval merge</c> verb: combines the partial reports of <c>mlrb eval --shard I/N</c>.</summary>
internal static class EvalMergeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "The partial reports of all N shards (*.shard-I-of-N.json).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the merged report as JSON instead of a table." };
        var output = new Option<string>("--output", "--out") { Description = "Folder for the merged report (as mlrb eval writes it).", DefaultValueFactory = _ => "results" };
        var command = new Command("merge", "Combine the partial reports of `mlrb eval --shard I/N` into the report an unsharded run gives (same predictions and aggregates); refuses shards of different models, data, settings or code versions, duplicate or missing shards.")
        {
            files, json, output,
        };
        command.SetAction(parse =>
        {
            var outWriter = parse.InvocationConfiguration.Output;
            var errWriter = parse.InvocationConfiguration.Error;
            return CtrlC.Run(errWriter, ct => EvalMerge.RunAsync(parse.GetValue(files) ?? [], parse.GetValue(json), parse.GetValue(output)!, outWriter, errWriter, ct), "eval merge");
        });
        return command;
    }
}
