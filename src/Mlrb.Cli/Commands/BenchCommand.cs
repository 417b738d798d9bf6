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
        var emit = new Option<string[]>("--emit")
        {
            Description = "Write the bench as a cluster job instead of running it: slurm DIR (an sbatch job array) or k8s DIR (an indexed Kubernetes Job). Runs use the store in MLRB_DB (docs/cluster.md).",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var image = new Option<string?>("--image") { Description = "--emit k8s: the container image that runs mlrb (see deploy/Dockerfile)." };
        var jobGpus = new Option<int>("--job-gpus") { Description = "--emit: GPUs per run.", DefaultValueFactory = _ => 1 };
        var jobCpus = new Option<int>("--job-cpus") { Description = "--emit: CPU cores per run.", DefaultValueFactory = _ => 8 };
        var jobMemory = new Option<int>("--job-memory") { Description = "--emit: memory per run, in GiB.", DefaultValueFactory = _ => 64 };
        var evalAllowance = new Option<string>("--eval-allowance") { Description = "--emit: time added to the task budget for scoring the submission.", DefaultValueFactory = _ => "2h" };
        var secret = new Option<string>("--secret") { Description = "--emit k8s: the Secret holding MLRB_DB, PGPASSWORD and API keys.", DefaultValueFactory = _ => "mlrb" };
        var claim = new Option<string?>("--workspace-claim") { Description = "--emit k8s: a PersistentVolumeClaim for workspaces (default: an emptyDir per run)." };
        var ns = new Option<string?>("--namespace") { Description = "--emit k8s: the namespace (default: the current one)." };
        var mlrbCommand = new Option<string>("--mlrb-command") { Description = "--emit slurm: how the nodes start mlrb.", DefaultValueFactory = _ => "mlrb" };
        var shards = new Option<int?>("--shards") { Description = "--emit: score each run's submission in N evaluation shards (an evaluation array after the runs, then one merge per run that stores the score)." };
        var jobName = new Option<string?>("--job-name") { Description = "--emit: the job's name (default: mlrb-bench-<utc>-<random>); run ids start with it." };
        var command = new Command(
            "bench",
            "K runs of each task, one after another or --parallel N at once, then the results table of those runs (as mlrb results). Takes every mlrb run option (--provider, --model, --label, --time-limit, --workdir, --db, ...).")
        {
            tasks, runs, parallel, json, csv, emit, image, jobGpus, jobCpus, jobMemory, evalAllowance, secret, claim, ns, mlrbCommand, jobName, shards,
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
            if (parse.GetValue(shards) is { } shardCount && (parse.GetValue(emit) is not { Length: 2 } || shardCount < 1))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(shardCount < 1
                    ? $"mlrb bench: --shards must be between 1 and {ClusterEmitter.MaxShards} (evaluation shards per run), not {shardCount}."
                    : "mlrb bench: --shards splits the evaluation of an emitted cluster job; use it with --emit slurm|k8s DIR (here, use mlrb eval --shard).").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(emit) is { Length: 2 } target)
            {
                if (!Run.DurationParser.TryParse(parse.GetValue(evalAllowance), out var allowance))
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("mlrb bench: --eval-allowance is not a duration such as 2h or 90m.").ConfigureAwait(false);
                    return 2;
                }

                var emitOptions = new ClusterEmitter.Options(
                    target[0], target[1], parse.GetValue(image), parse.GetValue(jobGpus), parse.GetValue(jobCpus), parse.GetValue(jobMemory), allowance,
                    parse.GetValue(secret)!, parse.GetValue(claim), parse.GetValue(ns), parse.GetValue(mlrbCommand)!, parse.GetValue(jobName), parse.GetValue(shards) ?? 0);
                return await ClusterEmitter.EmitAsync(settings, emitOptions, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error).ConfigureAwait(false);
            }

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
