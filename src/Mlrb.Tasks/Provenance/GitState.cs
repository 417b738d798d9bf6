namespace Mlrb.Tasks.Provenance;

/// <summary>The git state of a folder that lies in a git work tree.</summary>
public sealed record GitState
{
    /// <summary>The commit checked out (<c>HEAD</c>); null in a repository without commits.</summary>
    public string? Commit { get; init; }

    /// <summary>The work tree's top folder (the folder itself, or a repository around it).</summary>
    public required string Root { get; init; }

    /// <summary>Whether the work tree has uncommitted changes.</summary>
    public bool Dirty { get; init; }
}
