namespace Mlrb.Tools.Core;

/// <summary>One argument of a tool: its name, type, description and constraints.</summary>
/// <param name="Name">The argument name (the reference's spelling).</param>
/// <param name="Kind">The JSON type.</param>
/// <param name="Description">What it means, for the model.</param>
/// <param name="Required">Whether it must be present.</param>
internal sealed record ToolParameter(string Name, ParameterKind Kind, string Description, bool Required)
{
    /// <summary>Allowed values of a string argument; null when any value is allowed.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>Smallest allowed integer.</summary>
    public long? Minimum { get; init; }

    /// <summary>Largest allowed integer.</summary>
    public long? Maximum { get; init; }

    /// <summary>Whether an empty string is refused.</summary>
    public bool NonEmpty { get; init; }
}
