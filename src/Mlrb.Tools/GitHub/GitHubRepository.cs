namespace Mlrb.Tools.GitHub;

/// <summary>An owner/name pair read from what a model calls a repository URL.</summary>
/// <param name="Owner">The owner.</param>
/// <param name="Name">The repository name.</param>
internal sealed record GitHubRepository(string Owner, string Name)
{
    /// <summary>
    /// Reads <c>https://github.com/owner/name[/tree/...]</c>, <c>github.com/owner/name.git</c>, <c>git@github.com:owner/name</c>
    /// or <c>owner/name</c>.
    /// </summary>
    /// <param name="text">The URL or name.</param>
    /// <param name="repository">The pair, when readable.</param>
    /// <returns>True when readable.</returns>
    public static bool TryParse(string text, out GitHubRepository repository)
    {
        repository = new GitHubRepository("", "");
        var s = text.Trim();
        if (s.StartsWith("git@", StringComparison.OrdinalIgnoreCase) && s.Contains(':', StringComparison.Ordinal))
        {
            s = s[(s.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }
        else if (Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            s = uri.AbsolutePath;
        }
        else if (s.StartsWith("github.com/", StringComparison.OrdinalIgnoreCase) || s.StartsWith("www.github.com/", StringComparison.OrdinalIgnoreCase))
        {
            s = s[(s.IndexOf('/', StringComparison.Ordinal) + 1)..];
        }

        var parts = s.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return false;
        }

        var owner = parts[0];
        var name = parts[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? parts[1][..^4] : parts[1];
        if (!IsSegment(owner) || !IsSegment(name))
        {
            return false;
        }

        repository = new GitHubRepository(owner, name);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Owner}/{Name}";

    private static bool IsSegment(string s) =>
        s.Length > 0 && s != "." && s != ".." && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
