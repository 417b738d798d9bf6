using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace CustomAgent;

/// <summary>
/// The sample's own tool, offered next to Mlrb's: <c>list_workspace</c> lists the files under a folder of the
/// workspace with their sizes. Like Mlrb's tools it never looks outside the workspace and caps what it returns.
/// </summary>
public sealed class WorkspaceTreeTool
{
    /// <summary>The tool's name as the model sees it.</summary>
    public const string ToolName = "list_workspace";

    private const int MaxEntries = 200;
    private readonly string _root;

    /// <summary>Creates the tool for one workspace.</summary>
    /// <param name="workspacePath">The run's workspace.</param>
    public WorkspaceTreeTool(string workspacePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspacePath);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspacePath));
    }

    /// <summary>The tool as an <see cref="AIFunction"/> for any <see cref="IChatClient"/>.</summary>
    /// <returns>The function.</returns>
    public AIFunction AsAIFunction() => AIFunctionFactory.Create(
        List,
        new AIFunctionFactoryOptions
        {
            Name = ToolName,
            Description = "List the files under a folder of the working directory (recursively, at most 200 entries) with their sizes in bytes.",
        });

    /// <summary>Lists the files under <paramref name="path"/>, one <c>size  relative/path</c> line each, sorted by path.</summary>
    /// <param name="path">Folder relative to the working directory; "." for all of it.</param>
    /// <returns>The listing, or a message saying why there is none.</returns>
    public string List([Description("Folder relative to the working directory; \".\" lists all of it.")] string path = ".")
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(_root, path ?? ".")));
        if (full != _root && !full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return $"{ToolName}: '{path}' is outside the working directory.";
        }

        var folder = new DirectoryInfo(full);
        if (!folder.Exists)
        {
            return $"{ToolName}: '{path}' is not a folder in the working directory.";
        }

        if (folder.LinkTarget is not null)
        {
            return $"{ToolName}: '{path}' is a link; list the folder it points to instead.";
        }

        // Links are skipped, so the walk cannot leave the workspace through one.
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var files = folder.EnumerateFiles("*", walk)
            .Select(f => (Path: Path.GetRelativePath(_root, f.FullName).Replace('\\', '/'), f.Length))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .Take(MaxEntries + 1)
            .ToList();
        if (files.Count == 0)
        {
            return $"{ToolName}: no files under '{path}'.";
        }

        var text = new StringBuilder();
        foreach (var (relative, length) in files.Take(MaxEntries))
        {
            text.Append(length.ToString(CultureInfo.InvariantCulture).PadLeft(12)).Append("  ").Append(relative).Append('\n');
        }

        if (files.Count > MaxEntries)
        {
            text.Append(CultureInfo.InvariantCulture, $"(more than {MaxEntries} files; list a sub-folder to see the rest)\n");
        }

        return text.ToString();
    }
}
