namespace Mlrb.Tasks;

/// <summary>A place where the reference contradicts itself, and what Mlrb chose.</summary>
public sealed record SpecificationChoice
{
    /// <summary>The field the contradiction is about, e.g. <c>compute</c>.</summary>
    public required string Field { get; init; }

    /// <summary>What the conflicting sources say.</summary>
    public required string Conflict { get; init; }

    /// <summary>What Mlrb uses, and on whose authority.</summary>
    public required string Choice { get; init; }
}
