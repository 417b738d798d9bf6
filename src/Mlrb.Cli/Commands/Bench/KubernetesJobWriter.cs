using k8s;
using k8s.Models;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>
/// Writes a bench as one indexed Kubernetes <c>Job</c> (completions = runs), built from the KubernetesClient model types
/// and serialized with its YAML support. API keys and the run store's DSN come from a <c>Secret</c>, never literal values.
/// </summary>
internal static class KubernetesJobWriter
{
    /// <summary>The manifest's file name in the output folder.</summary>
    public const string FileName = "mlrb-bench-job.yaml";

    /// <summary>The evaluation Job's manifest (<c>--shards N</c>).</summary>
    public const string EvalFileName = "mlrb-bench-eval-job.yaml";

    /// <summary>The merge Job's manifest (<c>--shards N</c>).</summary>
    public const string MergeFileName = "mlrb-bench-merge-job.yaml";

    /// <summary>The script that applies the three Jobs in order (<c>--shards N</c>).</summary>
    public const string SubmitFileName = "mlrb-bench-submit.sh";

    /// <summary>Where workspaces are mounted in the container.</summary>
    public const string WorkspaceMount = "/work/runs";

    /// <summary>Keys read from the secret; only MLRB_DB is required.</summary>
    private static readonly (string Key, bool Optional)[] SecretKeys =
    [
        ("MLRB_DB", false),
        ("PGPASSWORD", true),
        ("OPENAI_API_KEY", true),
        ("ANTHROPIC_API_KEY", true),
        ("GITHUB_TOKEN", true),
        ("HF_TOKEN", true),
    ];

    /// <summary>Keys the evaluation and merge pods read: only the store (they call no model API).</summary>
    private static readonly (string Key, bool Optional)[] StoreKeys = [("MLRB_DB", false), ("PGPASSWORD", true)];

    /// <summary>The Job for <paramref name="job"/>.</summary>
    /// <param name="job">The bench.</param>
    /// <param name="image">The container image (deploy/Dockerfile builds one).</param>
    /// <param name="secret">The Secret holding MLRB_DB and the API keys.</param>
    /// <param name="workspaceClaim">A PersistentVolumeClaim for workspaces, or null for an emptyDir per pod.</param>
    /// <param name="ns">The namespace, or null for the current one.</param>
    public static V1Job Build(ClusterJob job, string image, string secret, string? workspaceClaim, string? ns) => Indexed(
        job.Name,
        "bench",
        job.Name,
        job.Count,
        job.Parallel,
        job.RunTimeLimit,
        job.RunScript("mlrb", "JOB_COMPLETION_INDEX", job.Name, WorkspaceMount),
        job.Gpus,
        job,
        image,
        SecretKeys,
        secret,
        workspaceClaim,
        ns);

    /// <summary>The evaluation Job (<c>--shards N</c>): one index per run × shard; needs the runs' workspaces on a claim.</summary>
    public static V1Job BuildEvaluation(ClusterJob job, string image, string secret, string workspaceClaim, string? ns)
    {
        var count = job.Count * job.Shards;
        return Indexed(
            EvalName(job), "eval", job.Name, count, Math.Min(job.Parallel, count), job.EvalTimeLimit, job.EvalScript("mlrb", "JOB_COMPLETION_INDEX", job.Name), job.Gpus, job, image, StoreKeys, secret, workspaceClaim, ns);
    }

    /// <summary>The merge Job (<c>--shards N</c>): one index per run, storing the run's score; no GPU.</summary>
    public static V1Job BuildMerge(ClusterJob job, string image, string secret, string workspaceClaim, string? ns) => Indexed(
        MergeName(job), "merge", job.Name, job.Count, Math.Min(job.Parallel, job.Count), job.EvalTimeLimit, job.MergeScript("mlrb", "JOB_COMPLETION_INDEX", job.Name), 0, job, image, StoreKeys, secret, workspaceClaim, ns);

    /// <summary>The evaluation Job's name.</summary>
    public static string EvalName(ClusterJob job) => job.Name + "-eval";

    /// <summary>The merge Job's name.</summary>
    public static string MergeName(ClusterJob job) => job.Name + "-merge";

    /// <summary>
    /// The script that applies the three Jobs of <c>--shards N</c> one after another, each once the one before has
    /// finished (complete or with failed indexes: a failed run or shard must not keep the others from being scored).
    /// </summary>
    public static string SubmitScript(ClusterJob job, string? ns)
    {
        var kubectl = ns is null ? "kubectl" : "kubectl -n " + ClusterJob.ShellQuote(ns);
        var text = new System.Text.StringBuilder();
        text.Append("#!/bin/sh\n");
        text.Append("# Applies the bench's Jobs in order: the runs, the evaluation shards once the runs have ended, the merges once the shards have.\n");
        text.Append("# Usage: sh " + SubmitFileName + "   (the Secret and the workspace claim must exist; POLL seconds between checks, default 30)\n");
        text.Append("set -eu\n");
        text.Append("jobs=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n");
        text.Append("finished() {\n");
        text.Append("  while :; do\n");
        text.Append("    state=\"$(" + kubectl + " get job \"$1\" -o jsonpath='{range .status.conditions[?(@.status==\"True\")]}{.type} {end}')\"\n");
        text.Append("    case \" $state \" in\n");
        text.Append("      *\" Complete \"*) echo \"job $1 complete\"; return 0 ;;\n");
        text.Append("      *\" Failed \"*) echo \"job $1 finished with failed indexes (see its pods' logs); going on\" >&2; return 0 ;;\n");
        text.Append("    esac\n");
        text.Append("    sleep \"${POLL:-30}\"\n");
        text.Append("  done\n");
        text.Append("}\n");
        foreach (var (file, name) in new[] { (FileName, job.Name), (EvalFileName, EvalName(job)), (MergeFileName, MergeName(job)) })
        {
            text.Append(kubectl + " apply -f \"$jobs/" + file + "\"\n");
            text.Append("finished " + name + "\n");
        }

        text.Append("echo \"done: mlrb results (with the same MLRB_DB) shows the scores\"\n");
        return text.ToString();
    }

    private static V1Job Indexed(
        string name,
        string component,
        string bench,
        int completions,
        int parallelism,
        TimeSpan podLimit,
        string script,
        int gpus,
        ClusterJob job,
        string image,
        (string Key, bool Optional)[] keys,
        string secret,
        string? workspaceClaim,
        string? ns)
    {
        var perPod = (long)Math.Ceiling(podLimit.TotalSeconds);
        var waves = (completions + parallelism - 1) / parallelism;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/name"] = "mlrb",
            ["app.kubernetes.io/component"] = component,
            ["mlrb/bench"] = bench,
        };
        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new ResourceQuantity(job.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["memory"] = new ResourceQuantity(job.MemoryGib.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Gi"),
        };
        if (gpus > 0)
        {
            resources["nvidia.com/gpu"] = new ResourceQuantity(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var volume = workspaceClaim is null
            ? new V1Volume { Name = "workspaces", EmptyDir = new V1EmptyDirVolumeSource() }
            : new V1Volume { Name = "workspaces", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = workspaceClaim } };

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = completions,
                Parallelism = parallelism,

                // A run that fails is a result (stored with its outcome), not something to retry: no index is retried,
                // and one failed index does not stop the others.
                BackoffLimitPerIndex = 0,
                MaxFailedIndexes = completions,
                ActiveDeadlineSeconds = perPod * waves,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        ActiveDeadlineSeconds = perPod,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "mlrb",
                                Image = image,
                                Command = ["/bin/sh", "-c", script],
                                Env = [.. keys.Select(k => new V1EnvVar
                                {
                                    Name = k.Key,
                                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = k.Key, Optional = k.Optional } },
                                })],
                                Resources = new V1ResourceRequirements { Limits = resources, Requests = resources },
                                VolumeMounts = [new V1VolumeMount { Name = "workspaces", MountPath = WorkspaceMount }],
                            },
                        ],
                        Volumes = [volume],
                    },
                },
            },
        };
    }

    /// <summary>The Job as YAML.</summary>
    public static string Serialize(V1Job job) => KubernetesYaml.Serialize(job);
}
