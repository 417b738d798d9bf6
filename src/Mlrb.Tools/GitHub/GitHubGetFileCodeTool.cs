using Mlrb.Tools.Core;

namespace Mlrb.Tools.GitHub;

/// <summary><c>github_get_file_code</c>: the content of one file of a GitHub repository.</summary>
internal sealed class GitHubGetFileCodeTool(ToolRuntime runtime, GitHubApiClient client) : ToolBase(
    "github_get_file_code",
    "Get the code of one file in a GitHub repository.",
    new ToolSchema(
        new ToolParameter("repo_url", ParameterKind.String, "The repository URL, e.g. 'https://github.com/owner/repo'.", true) { NonEmpty = true },
        new ToolParameter("file_path", ParameterKind.String, "The file's path in the repository, eg. 'src/main.py'.", true) { NonEmpty = true }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var url = arguments.RequiredString("repo_url");
        if (!GitHubRepository.TryParse(url, out var repo))
        {
            return Fail($"{Name}: '{url}' is not a GitHub repository URL; expected https://github.com/owner/repo.");
        }

        var path = arguments.RequiredString("file_path").Trim('/');
        if (path.Split('/').Any(s => s is ".." or "."))
        {
            return Fail($"{Name}: file_path '{path}' must be a plain path inside the repository.");
        }

        var (text, error) = await client.GetFileAsync(repo, path, cancellationToken).ConfigureAwait(false);
        return error is null ? Ok(runtime.Cap(text!)) : Fail($"{Name}: {error}");
    }
}
