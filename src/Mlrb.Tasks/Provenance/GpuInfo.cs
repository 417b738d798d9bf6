using System.Text.Json.Serialization;

namespace Mlrb.Tasks.Provenance;

/// <summary>One GPU as <c>nvidia-smi</c> reports it.</summary>
public sealed record GpuInfo
{
    /// <summary>The product name, e.g. <c>NVIDIA H200</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Total device memory in MiB, when reported.</summary>
    [JsonPropertyName("memory_mib")]
    public long? MemoryMiB { get; init; }

    /// <summary>The driver version, when reported.</summary>
    public string? Driver { get; init; }
}
