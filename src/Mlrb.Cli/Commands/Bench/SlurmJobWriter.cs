using System.Globalization;
using System.Text;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>
/// Writes a bench as one Slurm job array (<c>sbatch</c> script): one array task per task × run. With <c>--shards N</c>
/// also an evaluation array (one task per run × shard), a merge array (one task per run) and the script that submits
/// the three with dependencies.
/// </summary>
internal static class SlurmJobWriter
{
    /// <summary>The script's file name in the output folder.</summary>
    public const string FileName = "mlrb-bench.sbatch";

    /// <summary>The evaluation array's script (<c>--shards N</c>).</summary>
    public const string EvalFileName = "mlrb-bench-eval.sbatch";

    /// <summary>The merge array's script (<c>--shards N</c>).</summary>
    public const string MergeFileName = "mlrb-bench-merge.sbatch";

    /// <summary>The script that submits the runs, the evaluation and the merge (<c>--shards N</c>).</summary>
    public const string SubmitFileName = "mlrb-bench-submit.sh";

    /// <summary>The variable through which the evaluation and merge arrays learn the runs' job id (part of every run id).</summary>
    private const string RunsJobVariable = "MLRB_RUNS_JOB_ID";

    /// <summary>The sbatch script for <paramref name="job"/>.</summary>
    /// <param name="job">The bench.</param>
    /// <param name="mlrb">How the nodes start mlrb (default <c>mlrb</c> on PATH).</param>
    /// <param name="workDirectory">Where runs keep their workspaces (a shared file system).</param>
    /// <param name="logDirectory">Where Slurm writes each array task's output.</param>
    public static string Render(ClusterJob job, string mlrb, string workDirectory, string logDirectory)
    {
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# {job.Count} runs of mlrb: {job.Runs} of each of {string.Join(", ", job.Tasks)}.\n");
        if (job.Shards > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"# The runs do not score their submissions: {EvalFileName} scores each in {job.Shards} shard(s) and {MergeFileName}\n");
            text.Append(CultureInfo.InvariantCulture, $"# stores the scores. Submit all three with: MLRB_DB=postgres://mlrb@db-host/mlrb bash {SubmitFileName}\n");
        }
        else
        {
            text.Append("# Submit with MLRB_DB set to the shared store (postgres://user@host/db; password in PGPASSWORD or ~/.pgpass):\n");
            text.Append(CultureInfo.InvariantCulture, $"#   MLRB_DB=postgres://mlrb@db-host/mlrb sbatch {FileName}\n");
        }

        text.Append("# then: mlrb results (with the same MLRB_DB) shows the whole array.\n");
        Directives(text, job.Name, job.Count, job.Parallel, job.Gpus, job.Cpus, job.MemoryGib, job.RunTimeLimit, logDirectory);
        text.Append(job.RunScript(mlrb, "SLURM_ARRAY_TASK_ID", job.Name + "-${SLURM_ARRAY_JOB_ID}", workDirectory));
        return text.ToString();
    }

    /// <summary>The evaluation array: one task per run × shard, each scoring one shard of one run's submission.</summary>
    public static string RenderEvaluation(ClusterJob job, string mlrb, string logDirectory)
    {
        var count = job.Count * job.Shards;
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# Scores the submissions of {FileName}'s {job.Count} runs in {job.Shards} shard(s) each; submitted by {SubmitFileName}.\n");
        Directives(text, job.Name + "-eval", count, Math.Min(job.Parallel, count), job.Gpus, job.Cpus, job.MemoryGib, job.EvalTimeLimit, logDirectory);
        text.Append(CultureInfo.InvariantCulture, $": \"${{{RunsJobVariable}:?submit with {SubmitFileName}, which passes the job id of the runs}}\"\n");
        text.Append(job.EvalScript(mlrb, "SLURM_ARRAY_TASK_ID", job.Name + "-${" + RunsJobVariable + "}"));
        return text.ToString();
    }

    /// <summary>The merge array: one task per run, merging its shards and storing its score.</summary>
    public static string RenderMerge(ClusterJob job, string mlrb, string logDirectory)
    {
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# Merges each run's {job.Shards} shard(s) and stores its score with the run; submitted by {SubmitFileName}.\n");
        Directives(text, job.Name + "-merge", job.Count, Math.Min(job.Parallel, job.Count), 0, job.Cpus, job.MemoryGib, job.EvalTimeLimit, logDirectory);
        text.Append(CultureInfo.InvariantCulture, $": \"${{{RunsJobVariable}:?submit with {SubmitFileName}, which passes the job id of the runs}}\"\n");
        text.Append(job.MergeScript(mlrb, "SLURM_ARRAY_TASK_ID", job.Name + "-${" + RunsJobVariable + "}"));
        return text.ToString();
    }

    /// <summary>
    /// Submits the runs, then the evaluation array once every run has ended, then the merges once every shard has
    /// ended (<c>afterany</c>: a run or shard that failed must not keep the others from being scored; the merge stores
    /// what is missing). Arguments are passed to the last <c>sbatch</c> (e.g. <c>--wait</c>).
    /// </summary>
    public static string RenderSubmit()
    {
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append("# Submits the bench: the runs, the evaluation shards once all runs have ended, the merges once all shards have ended.\n");
        text.Append("# Usage: MLRB_DB=postgres://mlrb@db-host/mlrb bash " + SubmitFileName + " [sbatch options for the merge job, e.g. --wait]\n");
        text.Append("set -euo pipefail\n");
        text.Append(": \"${MLRB_DB:?MLRB_DB must name the shared run store, e.g. postgres://mlrb@db-host/mlrb}\"\n");
        text.Append("jobs=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n");
        text.Append(CultureInfo.InvariantCulture, $"runs=\"$(sbatch --parsable \"$jobs/{FileName}\")\"\n");
        text.Append("runs=\"${runs%%;*}\"\n");
        text.Append(CultureInfo.InvariantCulture, $"echo \"runs: job $runs\"\n");
        text.Append(CultureInfo.InvariantCulture, $"eval=\"$(sbatch --parsable --dependency=afterany:\"$runs\" --kill-on-invalid-dep=yes --export=ALL,{RunsJobVariable}=\"$runs\" \"$jobs/{EvalFileName}\")\"\n");
        text.Append("eval=\"${eval%%;*}\"\n");
        text.Append("echo \"evaluation shards: job $eval (after $runs)\"\n");
        text.Append(CultureInfo.InvariantCulture, $"merge=\"$(sbatch --parsable --dependency=afterany:\"$eval\" --kill-on-invalid-dep=yes --export=ALL,{RunsJobVariable}=\"$runs\" \"$@\" \"$jobs/{MergeFileName}\")\"\n");
        text.Append("echo \"merges: job ${merge%%;*} (after $eval); then: mlrb results\"\n");
        return text.ToString();
    }

    private static void Directives(StringBuilder text, string name, int count, int parallel, int gpus, int cpus, int memoryGib, TimeSpan limit, string logDirectory)
    {
        var time = string.Create(
            CultureInfo.InvariantCulture,
            $"{(int)limit.TotalDays}-{limit.Hours:00}:{limit.Minutes:00}:{limit.Seconds:00}");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={name}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{count - 1}%{parallel}\n");
        if (gpus > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{gpus}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={cpus}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={memoryGib}G\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={time}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={logDirectory}/%x-%A_%a.out\n");
        text.Append("#SBATCH --export=ALL\n");
    }
}
