using Mlrb.Tools.Core;

namespace Mlrb.Tools.GitHub;

/// <summary><c>github_get_readme</c>: the README of a GitHub repository.</summary>
internal sealed class GitHubGetReadmeTool(ToolRuntime runtime, GitHubApiClient client) : ToolBase(
    "github_get_readme",
    "Get the README of a GitHub repository.",
    new ToolSchema(new ToolParameter("repo_url", ParameterKind.String, "The repository URL, e.g. 'https://github.com/owner/repo' (or 'owner/repo').", true) { NonEmpty = true }))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var url = arguments.RequiredString("repo_url");
        if (!GitHubRepository.TryParse(url, out var repo))
        {
            return Fail($"{Name}: '{url}' is not a GitHub repository URL; expected https://github.com/owner/repo.");
        }

        var (text, error) = await client.GetReadmeAsync(repo, cancellationToken).ConfigureAwait(false);
        return error is null ? Ok(runtime.Cap(text!)) : Fail($"{Name}: {error}");
    }
}
