using Mlrb.Cli.Commands.Run;
using Mlrb.Tasks;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>
/// A bench as a cluster job: one array task (Slurm) or one completion index (Kubernetes) per task × run, each running
/// <c>mlrb run</c> against the shared run store named by <c>MLRB_DB</c> in the job's environment.
/// </summary>
internal sealed record ClusterJob
{
    /// <summary>Run options the job sets itself; given to bench, they are not passed on.</summary>
    public static readonly IReadOnlySet<string> JobOwnedOptions = new HashSet<string>(StringComparer.Ordinal) { "--db", "--workdir", "--run-id" };

    /// <summary>Job name (also the prefix of every run id).</summary>
    public required string Name { get; init; }

    /// <summary>The tasks, in order; index i runs task i / Runs.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }

    /// <summary>Runs of each task.</summary>
    public required int Runs { get; init; }

    /// <summary>Array tasks running at once.</summary>
    public required int Parallel { get; init; }

    /// <summary>The mlrb run options passed to every run (without the job-owned ones).</summary>
    public required IReadOnlyList<string> RunArguments { get; init; }

    /// <summary>Wall-clock limit of one run: the longest task budget plus the evaluation allowance.</summary>
    public required TimeSpan RunTimeLimit { get; init; }

    /// <summary>GPUs per run.</summary>
    public int Gpus { get; init; } = 1;

    /// <summary>CPU cores per run.</summary>
    public int Cpus { get; init; } = 8;

    /// <summary>Memory per run in GiB.</summary>
    public int MemoryGib { get; init; } = 64;

    /// <summary>Evaluation shards per run (<c>--shards N</c>), or 0 when each run scores its own submission.</summary>
    public int Shards { get; init; }

    /// <summary>The <c>mlrb eval --run</c> options of the evaluation array (data, limit, task folders), from the run options.</summary>
    public IReadOnlyList<string> EvalArguments { get; init; } = [];

    /// <summary>Wall-clock limit of one evaluation shard or merge (the evaluation allowance).</summary>
    public TimeSpan EvalTimeLimit { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Total number of runs.</summary>
    public int Count => Tasks.Count * Runs;

    /// <summary>
    /// The <c>mlrb eval --run</c> options for the evaluation array from the run options: <c>--eval-data</c> becomes
    /// <c>--data</c>, <c>--eval-limit</c> <c>--limit</c>; <c>--tasks-dir</c> stays.
    /// </summary>
    public static List<string> EvalArgumentsFor(IReadOnlyList<string> runArguments)
    {
        var eval = new List<string>();
        for (var i = 0; i + 1 < runArguments.Count; i++)
        {
            var mapped = runArguments[i] switch
            {
                "--eval-data" => "--data",
                "--eval-limit" => "--limit",
                "--tasks-dir" => "--tasks-dir",
                _ => null,
            };
            if (mapped is not null)
            {
                eval.Add(mapped);
                eval.Add(runArguments[++i]);
            }
        }

        return eval;
    }

    /// <summary>Time a run that does not score its submission (<c>--shards</c>) gets beyond its budget: start-up, the submission, the store.</summary>
    public static readonly TimeSpan RunMargin = TimeSpan.FromMinutes(10);

    /// <summary>The time a run may take: the task's budget (or <c>--time-limit</c>) plus <paramref name="evaluationAllowance"/>.</summary>
    public static TimeSpan TimeLimitFor(IEnumerable<string> tasks, IReadOnlyList<string> runArguments, TimeSpan evaluationAllowance)
    {
        var given = runArguments.ToList().IndexOf("--time-limit");
        if (given >= 0 && given + 1 < runArguments.Count && DurationParser.TryParse(runArguments[given + 1], out var limit))
        {
            return limit + evaluationAllowance;
        }

        var longest = tasks.Select(t => TaskCatalog.Builtin.TryGet(t, out var task) ? task.TimeLimit : TimeSpan.FromHours(24)).DefaultIfEmpty(TimeSpan.FromHours(24)).Max();
        return longest + evaluationAllowance;
    }

    /// <summary>Drops the job-owned options (and their values) from bench's forwarded run arguments.</summary>
    public static List<string> WithoutJobOwnedOptions(IReadOnlyList<string> runArguments)
    {
        var kept = new List<string>();
        for (var i = 0; i < runArguments.Count; i++)
        {
            if (JobOwnedOptions.Contains(runArguments[i]))
            {
                i++;
                continue;
            }

            kept.Add(runArguments[i]);
        }

        return kept;
    }

    /// <summary>A POSIX shell word for <paramref name="value"/> (single-quoted unless plainly safe).</summary>
    public static string ShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '+')
            ? value
            : "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The shell script every array task runs: picks its task and run from <paramref name="indexVariable"/>, runs
    /// <c>mlrb run</c>, and treats a run that ended with an outcome (exit 0 or 1) as done, so a failed agent is a result,
    /// not a job to retry.
    /// </summary>
    public string RunScript(string mlrb, string indexVariable, string runIdPrefix, string workDirectory)
    {
        var lines = Preamble(indexVariable, shards: false);
        var arguments = string.Join(' ', RunArguments.Select(ShellQuote));
        lines.Add($"{mlrb} run \"$task\" --run-id \"{runIdPrefix}-$task-$run\" --workdir {ShellQuote(workDirectory)}{(arguments.Length > 0 ? " " + arguments : string.Empty)}");
        lines.Add("code=$?");
        lines.Add("# 0: scored or submitted; 1: the run ended without a submission (its outcome is stored). Both are results.");
        lines.Add("if [ \"$code\" -le 1 ]; then exit 0; fi");
        lines.Add("exit \"$code\"");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// The shell script of one evaluation array task (<c>--shards N</c>): index i scores shard i mod N of run i div N
    /// with <c>mlrb eval --run ID --shard I/N</c>. A run without a submission, or whose submission breaks a task rule,
    /// exits 0 (the merge stores that outcome); a failed shard fails its array task, and the merge records it as missing.
    /// </summary>
    public string EvalScript(string mlrb, string indexVariable, string runIdPrefix)
    {
        var lines = Preamble(indexVariable, shards: true);
        var arguments = string.Join(' ', EvalArguments.Select(ShellQuote));
        lines.Add($"{mlrb} eval --run \"{runIdPrefix}-$task-$run\" --shard \"$shard/{Shards}\"{(arguments.Length > 0 ? " " + arguments : string.Empty)}");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>
    /// The shell script of one merge array task: index i merges the shards of run i with <c>mlrb eval merge --run ID</c>,
    /// which stores the run's score, or the reason it has none (a missing shard, an invalid submission), with the run.
    /// </summary>
    public string MergeScript(string mlrb, string indexVariable, string runIdPrefix)
    {
        var lines = Preamble(indexVariable, shards: false);
        lines.Add($"{mlrb} eval merge --run \"{runIdPrefix}-$task-$run\"");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Checks MLRB_DB and sets <c>task</c>, <c>run</c> (and <c>shard</c>) from the array index.</summary>
    private List<string> Preamble(string indexVariable, bool shards)
    {
        var lines = new List<string>
        {
            "set -u",
            $": \"${{MLRB_DB:?MLRB_DB must name the shared run store, e.g. postgres://mlrb@db-host/mlrb}}\"",
            $"index=\"${{{indexVariable}:?not started as an array task}}\"",
        };
        if (shards)
        {
            lines.Add($"shard=$((index % {Shards}))");
            lines.Add($"index=$((index / {Shards}))");
        }

        lines.Add($"runs={Runs}");
        lines.Add("case $((index / runs)) in");
        for (var t = 0; t < Tasks.Count; t++)
        {
            lines.Add($"  {t}) task={ShellQuote(Tasks[t])} ;;");
        }

        lines.Add("  *) echo \"index $index is outside the bench\" >&2; exit 2 ;;");
        lines.Add("esac");
        lines.Add("run=$((index % runs + 1))");
        return lines;
    }
}
