namespace Mlrb.Tasks;

/// <summary>A Hugging Face dataset a task provides or suggests.</summary>
public sealed record DatasetRef
{
    /// <summary>Hub id, e.g. <c>AlgorithmicResearchGroup/babylm</c>.</summary>
    public required string HuggingFaceId { get; init; }

    /// <summary>Configuration name passed as the second argument of <c>load_dataset</c>, if any.</summary>
    public string? Config { get; init; }

    /// <summary>The splits with their row counts and columns; empty when the dataset is only a suggestion.</summary>
    public IReadOnlyList<DatasetSplit> Splits { get; init; } = [];

    /// <summary>The Python call that loads it, e.g. <c>load_dataset('AlgorithmicResearchGroup/llm_merging', 'xsum')</c>.</summary>
    public string LoadCall => Config is null
        ? $"load_dataset('{HuggingFaceId}')"
        : $"load_dataset('{HuggingFaceId}', '{Config}')";
}
