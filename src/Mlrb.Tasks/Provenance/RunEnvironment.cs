using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mlrb.Tasks.Provenance;

/// <summary>
/// The hardware and software a run or an evaluation used, stored with it (the <c>environment_json</c> columns):
/// CPU, memory, GPUs, OS, .NET and Mlrb versions, the workspace's git state, the sandbox, and the agent's Python.
/// </summary>
public sealed record RunEnvironment
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>When it was captured (UTC).</summary>
    public required DateTimeOffset CapturedAt { get; init; }

    /// <summary>The host name.</summary>
    public string? Host { get; init; }

    /// <summary>The CPU model, e.g. <c>AMD EPYC 7763 64-Core Processor</c>; null where the OS does not say.</summary>
    public string? Cpu { get; init; }

    /// <summary>Logical processors available to this process.</summary>
    public int CpuCores { get; init; }

    /// <summary>Physical memory in bytes (the machine's, or the container's limit when lower).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>The GPUs <c>nvidia-smi</c> lists; empty where there is none or no <c>nvidia-smi</c>.</summary>
    public IReadOnlyList<GpuInfo> Gpus { get; init; } = [];

    /// <summary>The operating system, e.g. <c>Debian GNU/Linux 12 (bookworm)</c>.</summary>
    public required string Os { get; init; }

    /// <summary>The process architecture, e.g. <c>X64</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>The .NET runtime, e.g. <c>.NET 10.0.0</c>.</summary>
    [JsonPropertyName("dotnet")]
    public required string DotNet { get; init; }

    /// <summary>The Mlrb version.</summary>
    public required string Mlrb { get; init; }

    /// <summary>The git state of the workspace when it lies in a git work tree; null otherwise.</summary>
    public GitState? Git { get; init; }

    /// <summary>How tool processes are isolated, e.g. <c>bubblewrap</c> or <c>none (bwrap not found)</c>; null when not known.</summary>
    public string? Sandbox { get; init; }

    /// <summary>The agent's Python as probed through the sandbox; null when not probed.</summary>
    public PythonEnvironment? Python { get; init; }

    /// <summary>This environment as compact JSON with snake_case names.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads an environment written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The environment.</returns>
    public static RunEnvironment FromJson(string json)
        => JsonSerializer.Deserialize<RunEnvironment>(json, Json) ?? throw new InvalidDataException("The environment JSON is empty.");
}
