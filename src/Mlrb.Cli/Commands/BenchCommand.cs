using System.CommandLine;
using Mlrb.Cli.Commands.Bench;
using Mlrb.Cli.Commands.Results;

namespace Mlrb.Cli.Commands;

/// <summary>
/// The <c>mlrb bench</c> verb: K runs of each task (one after another, or N at once), then the results table of those
/// runs. Every <c>mlrb run</c> option is accepted and passed on to each run.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Run options a bench sets itself for each run.</summary>
    private static readonly HashSet<string> OwnOptions = new(StringComparer.Ordinal) { "--run-id", "--resume", "--json", "--result" };

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var tasks = new Argument<string[]>("tasks") { Description = "The tasks to run, e.g. mini_baby_lm mini_pile.", Arity = ArgumentArity.OneOrMore };
        var runs = new Option<int>("--runs") { Description = "Runs of each task (the paper used 5).", Required = true };
        var parallel = new Option<int>("--parallel") { Description = "Runs going at once (default 1: one after another).", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the final results as JSON." };
        var csv = new Option<bool>("--csv") { Description = "Print the final results as CSV." };
        var command = new Command(
            "bench",
            "K runs of each task, one after another or --parallel N at once, then the results table of those runs (as mlrb results). Takes every mlrb run option (--provider, --model, --label, --time-limit, --workdir, --db, ...).")
        {
            tasks, runs, parallel, json, csv,
        };

        // The run verb's own options, shared, so everything mlrb run accepts is accepted and passed on unchanged.
        var forwarded = RunCommand.Create(TextWriter.Null, TextWriter.Null).Options
            .Where(o => !OwnOptions.Contains(o.Name) && !o.Name.StartsWith("--help", StringComparison.Ordinal) && o.Name is not "-h" and not "-?" && !o.Aliases.Contains("-h"))
            .ToList();
        foreach (var option in forwarded)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(csv))
            {
                result.AddError("--json and --csv cannot be combined.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(runs) < 1 || parse.GetValue(parallel) < 1)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("mlrb bench: --runs and --parallel must be at least 1.").ConfigureAwait(false);
                return 2;
            }

            var settings = new BenchSettings
            {
                Tasks = parse.GetValue(tasks)!,
                Runs = parse.GetValue(runs),
                Parallel = parse.GetValue(parallel),
                Output = parse.GetValue(json) ? ResultsOutput.Json : parse.GetValue(csv) ? ResultsOutput.Csv : ResultsOutput.Table,
                RunArguments = Forward(parse, forwarded),
                WorkDirectory = Path.GetFullPath(parse.GetValue<string>("--workdir") ?? "runs"),
                DatabasePath = parse.GetValue<string?>("--db"),
            };
            return await BenchRunner.RunAsync(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The tokens of every run option given on the command line, one identifier per value (repeatable options stay repeatable).</summary>
    private static List<string> Forward(ParseResult parse, List<Option> options)
    {
        var args = new List<string>();
        foreach (var option in options)
        {
            if (parse.GetResult(option) is not { Implicit: false } result)
            {
                continue;
            }

            var name = result.IdentifierToken?.Value ?? option.Name;
            if (result.Tokens.Count == 0)
            {
                args.Add(name);
            }

            foreach (var token in result.Tokens)
            {
                args.Add(name);
                args.Add(token.Value);
            }
        }

        return args;
    }
}
