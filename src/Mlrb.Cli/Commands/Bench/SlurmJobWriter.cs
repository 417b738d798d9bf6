using System.Globalization;
using System.Text;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>Writes a bench as one Slurm job array (<c>sbatch</c> script): one array task per task × run.</summary>
internal static class SlurmJobWriter
{
    /// <summary>The script's file name in the output folder.</summary>
    public const string FileName = "mlrb-bench.sbatch";

    /// <summary>The sbatch script for <paramref name="job"/>.</summary>
    /// <param name="job">The bench.</param>
    /// <param name="mlrb">How the nodes start mlrb (default <c>mlrb</c> on PATH).</param>
    /// <param name="workDirectory">Where runs keep their workspaces (a shared file system).</param>
    /// <param name="logDirectory">Where Slurm writes each array task's output.</param>
    public static string Render(ClusterJob job, string mlrb, string workDirectory, string logDirectory)
    {
        var limit = job.RunTimeLimit;
        var time = string.Create(
            CultureInfo.InvariantCulture,
            $"{(int)limit.TotalDays}-{limit.Hours:00}:{limit.Minutes:00}:{limit.Seconds:00}");
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# {job.Count} runs of mlrb: {job.Runs} of each of {string.Join(", ", job.Tasks)}.\n");
        text.Append("# Submit with MLRB_DB set to the shared store (postgres://user@host/db; password in PGPASSWORD or ~/.pgpass):\n");
        text.Append(CultureInfo.InvariantCulture, $"#   MLRB_DB=postgres://mlrb@db-host/mlrb sbatch {FileName}\n");
        text.Append("# then: mlrb results (with the same MLRB_DB) shows the whole array.\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={job.Name}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{job.Count - 1}%{job.Parallel}\n");
        if (job.Gpus > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"#SBATCH --gres=gpu:{job.Gpus}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={job.Cpus}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem={job.MemoryGib}G\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={time}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={logDirectory}/%x-%A_%a.out\n");
        text.Append("#SBATCH --export=ALL\n");
        text.Append(job.RunScript(mlrb, "SLURM_ARRAY_TASK_ID", job.Name + "-${SLURM_ARRAY_JOB_ID}", workDirectory));
        return text.ToString();
    }
}
