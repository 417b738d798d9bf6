namespace Mlrb.Tools.GitHub;

/// <summary>One entry of a repository folder.</summary>
/// <param name="Path">Path in the repository.</param>
/// <param name="Type"><c>file</c>, <c>dir</c>, <c>symlink</c> or <c>submodule</c>.</param>
/// <param name="Size">Size in bytes (files).</param>
internal sealed record GitHubEntry(string Path, string Type, long Size);
