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
        string? Name);

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

        var name = options.Name ?? "mlrb-bench-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var runArguments = ClusterJob.WithoutJobOwnedOptions(settings.RunArguments);
        var job = new ClusterJob
        {
            Name = name,
            Tasks = settings.Tasks,
            Runs = settings.Runs,
            Parallel = Math.Min(settings.Parallel, settings.Tasks.Count * settings.Runs),
            RunArguments = runArguments,
            RunTimeLimit = ClusterJob.TimeLimitFor(settings.Tasks, runArguments, options.EvaluationAllowance),
            Gpus = options.Gpus,
            Cpus = options.Cpus,
            MemoryGib = options.MemoryGib,
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
            await stdout.WriteLineAsync($"Submit: MLRB_DB=postgres://user@db-host/mlrb sbatch {file}   then: mlrb results").ConfigureAwait(false);
        }
        else
        {
            file = Path.Combine(directory, KubernetesJobWriter.FileName);
            var manifest = KubernetesJobWriter.Serialize(KubernetesJobWriter.Build(job, options.Image!, options.Secret, options.WorkspaceClaim, options.Namespace));
            await File.WriteAllTextAsync(file, manifest).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{file}: an indexed Job of {job.Count} runs, {job.Parallel} at a time, {job.RunTimeLimit:c} each.").ConfigureAwait(false);
            await stdout.WriteLineAsync(
                $"Create the secret first: kubectl create secret generic {options.Secret} --from-literal=MLRB_DB=postgres://user@db-host/mlrb --from-literal=PGPASSWORD=… --from-literal=OPENAI_API_KEY=…").ConfigureAwait(false);
            await stdout.WriteLineAsync($"Then: kubectl apply -f {file}   and: mlrb results (with the same MLRB_DB)").ConfigureAwait(false);
        }

        return 0;
    }
}
