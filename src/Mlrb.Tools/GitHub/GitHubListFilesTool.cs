using System.Globalization;
using System.Text;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.GitHub;

/// <summary><c>github_list_files</c>: lists a repository's files recursively, within depth and count limits.</summary>
internal sealed class GitHubListFilesTool(ToolRuntime runtime, GitHubApiClient client) : ToolBase(
    "github_list_files",
    "List the files of a GitHub repository recursively (folders first level by level), within a depth and a count limit.",
    new ToolSchema(
        new ToolParameter("repo_url", ParameterKind.String, "The repository URL, e.g. 'https://github.com/owner/repo'.", true) { NonEmpty = true },
        new ToolParameter("path", ParameterKind.String, "Folder to start from (default: the repository root).", false),
        new ToolParameter("max_depth", ParameterKind.Integer, string.Create(CultureInfo.InvariantCulture, $"How many folder levels to descend (default {runtime.Options.GitHubListDefaultDepth}; 1 = only the starting folder)."), false) { Minimum = 1, Maximum = 20 },
        new ToolParameter("max_files", ParameterKind.Integer, string.Create(CultureInfo.InvariantCulture, $"Most entries to list (default and maximum {runtime.Options.GitHubListMaxFiles})."), false) { Minimum = 1, Maximum = runtime.Options.GitHubListMaxFiles }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var url = arguments.RequiredString("repo_url");
        if (!GitHubRepository.TryParse(url, out var repo))
        {
            return Fail($"{Name}: '{url}' is not a GitHub repository URL; expected https://github.com/owner/repo.");
        }

        var start = (arguments.String("path") ?? "").Trim('/');
        var maxDepth = (int)(arguments.Integer("max_depth") ?? runtime.Options.GitHubListDefaultDepth);
        var maxFiles = (int)(arguments.Integer("max_files") ?? runtime.Options.GitHubListMaxFiles);
        var lines = new List<string>();
        var queue = new Queue<(string Path, int Depth)>();
        queue.Enqueue((start, 1));
        var skippedFolders = 0;
        var stoppedAtCount = false;
        while (queue.Count > 0 && !stoppedAtCount)
        {
            var (folder, depth) = queue.Dequeue();
            var (entries, error) = await client.ListFolderAsync(repo, folder, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                if (lines.Count == 0)
                {
                    return Fail($"{Name}: {error}");
                }

                lines.Add($"[could not list {folder}: {error}]");
                continue;
            }

            foreach (var entry in entries!.OrderBy(e => e.Type == "dir" ? 0 : 1).ThenBy(e => e.Path, StringComparer.Ordinal))
            {
                if (lines.Count >= maxFiles)
                {
                    stoppedAtCount = true;
                    break;
                }

                if (entry.Type == "dir")
                {
                    lines.Add(entry.Path + "/");
                    if (depth < maxDepth)
                    {
                        queue.Enqueue((entry.Path, depth + 1));
                    }
                    else
                    {
                        skippedFolders++;
                    }
                }
                else
                {
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"{entry.Path} ({entry.Size} bytes)"));
                }
            }
        }

        var text = new StringBuilder().AppendJoin('\n', lines).Append('\n');
        if (stoppedAtCount)
        {
            text.Append(CultureInfo.InvariantCulture, $"[listing stopped at {maxFiles} entries; list a sub-folder with 'path' to see more]\n");
        }

        if (skippedFolders > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{skippedFolders} folder(s) deeper than max_depth {maxDepth} not opened]\n");
        }

        return Ok(runtime.Cap(text.ToString()));
    }
}
