namespace Mlrb.Tasks;

/// <summary>One split of a dataset as the agent will find it.</summary>
public sealed record DatasetSplit
{
    /// <summary>Split name, e.g. <c>train</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Number of rows in the split.</summary>
    public required long Rows { get; init; }

    /// <summary>Column names, in the dataset's order.</summary>
    public required IReadOnlyList<string> Columns { get; init; }
}
