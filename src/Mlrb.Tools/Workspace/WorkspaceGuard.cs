namespace Mlrb.Tools.Workspace;

/// <summary>
/// Confines paths to one workspace folder. A path given by a model is resolved against the workspace
/// (relative) or taken as is (absolute), <c>..</c> is collapsed, and every existing component is resolved
/// with realpath semantics, so <c>..</c>, absolute paths elsewhere and symbolic links that lead out are refused.
/// </summary>
internal sealed class WorkspaceGuard
{
    private readonly string _given;

    /// <summary>Binds the guard to <paramref name="workspace"/>, which must exist.</summary>
    /// <param name="workspace">The workspace folder.</param>
    public WorkspaceGuard(string workspace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspace);
        _given = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        if (!Directory.Exists(_given))
        {
            throw new DirectoryNotFoundException($"The workspace folder '{_given}' does not exist.");
        }

        Root = Path.TrimEndingDirectorySeparator(RealPath(_given) ?? _given);
    }

    /// <summary>The workspace's real absolute path (symlinks resolved).</summary>
    public string Root { get; }

    /// <summary>Resolves <paramref name="path"/> to a real absolute path inside the workspace.</summary>
    /// <param name="path">The path a model gave.</param>
    /// <param name="fullPath">The resolved path, when allowed.</param>
    /// <param name="error">Why it was refused, when not.</param>
    /// <returns>True when the path is inside the workspace.</returns>
    public bool TryResolve(string? path, out string fullPath, out string error)
    {
        fullPath = "";
        error = "";
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "the path is empty.";
            return false;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = "the path contains a NUL character.";
            return false;
        }

        var lexical = Path.GetFullPath(path, Root);
        var prefix = lexical;
        var rest = new Stack<string>();
        string? real;
        while (true)
        {
            // File.Exists is also true for a dangling link (it falls back to lstat); realpath then fails.
            var exists = File.Exists(prefix) || Directory.Exists(prefix);
            real = exists ? RealPath(prefix) : null;
            if (real is not null)
            {
                break;
            }

            if (new FileInfo(prefix).LinkTarget is { } dangling)
            {
                error = $"'{path}' goes through a symbolic link ('{prefix}' -> '{dangling}') whose target does not exist; links are refused unless they resolve inside the workspace {Root}.";
                return false;
            }

            var parent = Path.GetDirectoryName(prefix);
            if (parent is null || exists)
            {
                error = $"'{path}' could not be resolved ('{prefix}' exists but its real path cannot be read).";
                return false;
            }

            rest.Push(Path.GetFileName(prefix));
            prefix = parent;
        }

        var resolved = real;
        while (rest.Count > 0)
        {
            resolved = Path.Join(resolved, rest.Pop());
        }

        if (!IsInside(resolved, Root))
        {
            var lexicallyInside = IsInside(lexical, Root) || IsInside(lexical, _given);
            error = lexicallyInside
                ? $"'{path}' goes through a symbolic link to '{resolved}', outside the workspace {Root}; only paths inside the workspace are allowed."
                : $"'{path}' resolves to '{lexical}', outside the workspace {Root}; only paths inside the workspace are allowed.";
            return false;
        }

        fullPath = resolved;
        return true;
    }

    /// <summary>The path of <paramref name="fullPath"/> relative to the workspace, with forward slashes.</summary>
    /// <param name="fullPath">A path inside the workspace.</param>
    /// <returns>The relative path ("." for the root).</returns>
    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    private static bool IsInside(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal)
        || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static string? RealPath(string path) =>
        OperatingSystem.IsWindows() ? Path.GetFullPath(path) : LibC.RealPath(path);
}
