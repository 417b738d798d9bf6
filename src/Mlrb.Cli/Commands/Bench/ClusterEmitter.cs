using System.Globalization;
using System.Security.Cryptography;

namespace Mlrb.Cli.Commands.Bench;

/// <summary><c>mlrb bench … --emit slurm|k8s DIR</c>: writes the bench as a cluster job instead of running it here.</summary>
internal static class ClusterEmitter
{
    /// <summary>What the emitted job needs beyond the bench's own settings.</summary>
    internal sealed record Options(
        string Kind,
        string Directory,
        string? Image,
        int Gpus,
        int Cpus,
        int MemoryGib,
        TimeSpan EvaluationAllowance,
        string Secret,
        string? WorkspaceClaim,
        string? Namespace,
        string MlrbCommand,
        string? Name,
        int Shards = 0);

    /// <summary>The most evaluation shards per run (a Slurm array holds at most 1001 tasks by default).</summary>
    public const int MaxShards = 256;

    /// <summary>Writes the job file and prints how to submit it.</summary>
    /// <returns>0, or 2 for bad input.</returns>
    public static async Task<int> EmitAsync(BenchSettings settings, Options options, TextWriter stdout, TextWriter stderr)
    {
        if (options.Kind is not ("slurm" or "k8s"))
        {
            await stderr.WriteLineAsync($"mlrb bench: --emit takes slurm or k8s and a folder, not '{options.Kind}'.").ConfigureAwait(false);
            return 2;
        }

        if (!settings.RunArguments.Contains("--tasks-dir") && settings.Tasks.Where(t => !Mlrb.Tasks.TaskCatalog.Builtin.TryGet(t, out _)).ToList() is { Count: > 0 } unknown)
        {
            await stderr.WriteLineAsync($"mlrb bench: unknown task(s) {string.Join(", ", unknown)}. Known tasks: {string.Join(", ", Mlrb.Tasks.TaskCatalog.Builtin.Tasks.Select(t => t.Name))}.").ConfigureAwait(false);
            return 2;
        }

        if (options.Kind == "k8s" && string.IsNullOrWhiteSpace(options.Image))
        {
            await stderr.WriteLineAsync("mlrb bench: --emit k8s needs --image (an image with mlrb, Python and the ML stack; see deploy/Dockerfile).").ConfigureAwait(false);
            return 2;
        }

        if (options.Gpus < 0 || options.Cpus < 1 || options.MemoryGib < 1)
        {
            await stderr.WriteLineAsync("mlrb bench: --job-gpus must be at least 0, --job-cpus and --job-memory at least 1.").ConfigureAwait(false);
            return 2;
        }

        if (ShardingError(settings, options) is { } shardError)
        {
            await stderr.WriteLineAsync("mlrb bench: " + shardError).ConfigureAwait(false);
            return 2;
        }

        if (options.Name is not null && JobNameError(options.Kind, options.Name) is { } nameError)
        {
            await stderr.WriteLineAsync("mlrb bench: " + nameError).ConfigureAwait(false);
            return 2;
        }

        var name = options.Name ?? "mlrb-bench-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var runArguments = ClusterJob.WithoutJobOwnedOptions(settings.RunArguments);
        var evalArguments = ClusterJob.EvalArgumentsFor(runArguments);
        if (options.Shards > 0)
        {
            // The runs submit; the evaluation array scores.
            runArguments.Add("--no-eval");
        }

        var job = new ClusterJob
        {
            Name = name,
            Tasks = settings.Tasks,
            Runs = settings.Runs,
            Parallel = Math.Min(settings.Parallel, settings.Tasks.Count * settings.Runs),
            RunArguments = runArguments,
            // With --shards the runs do not score: their limit is the budget plus a start-and-finish margin, not the evaluation allowance.
            RunTimeLimit = ClusterJob.TimeLimitFor(
                settings.Tasks, runArguments, options.Shards > 0 && options.EvaluationAllowance > ClusterJob.RunMargin ? ClusterJob.RunMargin : options.EvaluationAllowance),
            Gpus = options.Gpus,
            Cpus = options.Cpus,
            MemoryGib = options.MemoryGib,
            Shards = options.Shards,
            EvalArguments = evalArguments,
            EvalTimeLimit = options.EvaluationAllowance,
        };

        var directory = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(directory);
        string file;
        if (options.Kind == "slurm")
        {
            var logs = Path.Combine(directory, "logs");
            Directory.CreateDirectory(logs);
            file = Path.Combine(directory, SlurmJobWriter.FileName);
            await File.WriteAllTextAsync(file, SlurmJobWriter.Render(job, options.MlrbCommand, settings.WorkDirectory, logs)).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{file}: a Slurm array of {job.Count} runs, {job.Parallel} at a time, {job.RunTimeLimit:c} each.").ConfigureAwait(false);
            if (job.Shards > 0)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, SlurmJobWriter.EvalFileName), SlurmJobWriter.RenderEvaluation(job, options.MlrbCommand, logs)).ConfigureAwait(false);
                await File.WriteAllTextAsync(Path.Combine(directory, SlurmJobWriter.MergeFileName), SlurmJobWriter.RenderMerge(job, options.MlrbCommand, logs)).ConfigureAwait(false);
                var submit = Path.Combine(directory, SlurmJobWriter.SubmitFileName);
                await File.WriteAllTextAsync(submit, SlurmJobWriter.RenderSubmit()).ConfigureAwait(false);
                await stdout.WriteLineAsync($"{Path.Combine(directory, SlurmJobWriter.EvalFileName)}: {job.Count * job.Shards} evaluation shards ({job.Shards} per run), {job.EvalTimeLimit:c} each; {Path.Combine(directory, SlurmJobWriter.MergeFileName)}: one merge per run.").ConfigureAwait(false);
                await stdout.WriteLineAsync($"Submit all three: MLRB_DB=postgres://user@db-host/mlrb bash {submit}   then: mlrb results").ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync($"Submit: MLRB_DB=postgres://user@db-host/mlrb sbatch {file}   then: mlrb results").ConfigureAwait(false);
            }
        }
        else
        {
            file = Path.Combine(directory, KubernetesJobWriter.FileName);
            var manifest = KubernetesJobWriter.Serialize(KubernetesJobWriter.Build(job, options.Image!, options.Secret, options.WorkspaceClaim, options.Namespace));
            await File.WriteAllTextAsync(file, manifest).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{file}: an indexed Job of {job.Count} runs, {job.Parallel} at a time, {job.RunTimeLimit:c} each.").ConfigureAwait(false);
            await stdout.WriteLineAsync(
                $"Create the secret first: kubectl create secret generic {options.Secret} --from-literal=MLRB_DB=postgres://user@db-host/mlrb --from-literal=PGPASSWORD=… --from-literal=OPENAI_API_KEY=…").ConfigureAwait(false);
            if (job.Shards > 0)
            {
                var claim = options.WorkspaceClaim!;
                await File.WriteAllTextAsync(Path.Combine(directory, KubernetesJobWriter.EvalFileName), KubernetesJobWriter.Serialize(KubernetesJobWriter.BuildEvaluation(job, options.Image!, options.Secret, claim, options.Namespace))).ConfigureAwait(false);
                await File.WriteAllTextAsync(Path.Combine(directory, KubernetesJobWriter.MergeFileName), KubernetesJobWriter.Serialize(KubernetesJobWriter.BuildMerge(job, options.Image!, options.Secret, claim, options.Namespace))).ConfigureAwait(false);
                var submit = Path.Combine(directory, KubernetesJobWriter.SubmitFileName);
                await File.WriteAllTextAsync(submit, KubernetesJobWriter.SubmitScript(job, options.Namespace)).ConfigureAwait(false);
                await stdout.WriteLineAsync($"{Path.Combine(directory, KubernetesJobWriter.EvalFileName)}: {job.Count * job.Shards} evaluation shards ({job.Shards} per run); {Path.Combine(directory, KubernetesJobWriter.MergeFileName)}: one merge per run.").ConfigureAwait(false);
                await stdout.WriteLineAsync($"Then: sh {submit} (applies the three Jobs in order)   and: mlrb results (with the same MLRB_DB)").ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync($"Then: kubectl apply -f {file}   and: mlrb results (with the same MLRB_DB)").ConfigureAwait(false);
            }
        }

        if ((!runArguments.Contains("--eval-data") && !runArguments.Contains("--no-eval")) || (job.Shards > 0 && !evalArguments.Contains("--data")))
        {
            await stderr.WriteLineAsync("mlrb bench: note: no --eval-data given, so submissions are scored on ./data in the job's working directory; give --eval-data /shared/path/to/data.").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Why <c>--shards</c> cannot be used as given, or null.</summary>
    private static string? ShardingError(BenchSettings settings, Options options)
    {
        if (options.Shards == 0)
        {
            return null;
        }

        return options.Shards switch
        {
            < 0 or > MaxShards => $"--shards must be between 1 and {MaxShards} (evaluation shards per run), not {options.Shards}.",
            _ when settings.RunArguments.Contains("--no-eval") => "--shards scores the runs' submissions; it cannot be combined with --no-eval.",
            _ when options.Kind == "k8s" && options.WorkspaceClaim is null =>
                "--emit k8s --shards needs --workspace-claim (a ReadWriteMany PersistentVolumeClaim): the evaluation pods read the submissions the run pods wrote.",
            _ when settings.Tasks.FirstOrDefault(t => Mlrb.Tasks.TaskCatalog.Builtin.TryGet(t, out var task) && Mlrb.Eval.Benchmarks.TaskEvaluationPlan.For(task).Benchmark == Mlrb.Eval.Benchmarks.BenchmarkKind.TextGeneration) is { } generated =>
                $"task '{generated}' is scored on generated text, which does not shard; drop --shards or bench it separately.",
            _ => null,
        };
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot name the emitted jobs, or null. It goes into scripts and run ids: letters, digits, '.', '_' and
    /// '-' only. Kubernetes also puts it in the <c>job-name</c> label of every pod, which must be a DNS label of at most 63 characters;
    /// the longest derived name is <c>NAME-merge</c>, so NAME has at most 57 lowercase letters, digits and '-', starting and ending alphanumeric.
    /// </summary>
    internal static string? JobNameError(string kind, string name)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            return $"--job-name '{name}': use letters, digits, '.', '_' and '-' only.";
        }

        if (kind == "k8s")
        {
            var maximum = 63 - "-merge".Length;
            if (name.Length > maximum)
            {
                return $"--job-name is {name.Length} characters; Kubernetes job names (with the '-merge' suffix) allow at most {maximum}.";
            }

            if (name.Any(c => !(char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || c == '-')) || name[0] == '-' || name[^1] == '-')
            {
                return $"--job-name '{name}': Kubernetes job names are lowercase letters, digits and '-', starting and ending with a letter or digit.";
            }
        }

        return null;
    }
}
