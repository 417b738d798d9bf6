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

    /// <summary>The Job for <paramref name="job"/>.</summary>
    /// <param name="job">The bench.</param>
    /// <param name="image">The container image (deploy/Dockerfile builds one).</param>
    /// <param name="secret">The Secret holding MLRB_DB and the API keys.</param>
    /// <param name="workspaceClaim">A PersistentVolumeClaim for workspaces, or null for an emptyDir per pod.</param>
    /// <param name="ns">The namespace, or null for the current one.</param>
    public static V1Job Build(ClusterJob job, string image, string secret, string? workspaceClaim, string? ns)
    {
        var perRun = (long)Math.Ceiling(job.RunTimeLimit.TotalSeconds);
        var waves = (job.Count + job.Parallel - 1) / job.Parallel;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/name"] = "mlrb",
            ["app.kubernetes.io/component"] = "bench",
            ["mlrb/bench"] = job.Name,
        };
        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new ResourceQuantity(job.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["memory"] = new ResourceQuantity(job.MemoryGib.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Gi"),
        };
        if (job.Gpus > 0)
        {
            resources["nvidia.com/gpu"] = new ResourceQuantity(job.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var volume = workspaceClaim is null
            ? new V1Volume { Name = "workspaces", EmptyDir = new V1EmptyDirVolumeSource() }
            : new V1Volume { Name = "workspaces", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = workspaceClaim } };

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = job.Name, NamespaceProperty = ns, Labels = labels },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = job.Count,
                Parallelism = job.Parallel,

                // A run that fails is a result (stored with its outcome), not something to retry: no index is retried,
                // and one failed index does not stop the others.
                BackoffLimitPerIndex = 0,
                MaxFailedIndexes = job.Count,
                ActiveDeadlineSeconds = perRun * waves,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        ActiveDeadlineSeconds = perRun,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "mlrb",
                                Image = image,
                                Command = ["/bin/sh", "-c", job.RunScript("mlrb", "JOB_COMPLETION_INDEX", job.Name, WorkspaceMount)],
                                Env = [.. SecretKeys.Select(k => new V1EnvVar
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
