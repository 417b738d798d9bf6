using System.Text;
using Mlrb.Tools.Http;
using Octokit;
using Octokit.Internal;

namespace Mlrb.Tools.GitHub;

/// <summary>
/// The few GitHub REST calls the tools need (README, contents), made with Octokit over the GitHub tool client's
/// handler chain (body cap, resilience handler with retries and <c>Retry-After</c>, attempt counter).
/// Every failure becomes a readable message.
/// </summary>
/// <param name="connection">An Octokit connection whose base address is the API root.</param>
/// <param name="options">The base address and timeout, for messages.</param>
internal sealed class GitHubApiClient(IConnection connection, MlrbToolsOptions options)
{
    private const string Accept = "application/vnd.github+json";

    /// <summary>Creates the Octokit connection: the configured base address and token, over <paramref name="handler"/>.</summary>
    /// <param name="options">Base address and token.</param>
    /// <param name="handler">Creates the handler chain (the named tool client's, from <c>IHttpMessageHandlerFactory</c>).</param>
    /// <returns>The connection.</returns>
    public static IConnection Connect(MlrbToolsOptions options, Func<HttpMessageHandler> handler)
    {
        var credentials = string.IsNullOrWhiteSpace(options.GitHubToken)
            ? Credentials.Anonymous
            : new Credentials(options.GitHubToken, AuthenticationType.Bearer);
        var connection = new Connection(
            new ProductHeaderValue("mlrb-tools", "0.1"),
            options.GitHubBaseAddress,
            new InMemoryCredentialStore(credentials),
            new HttpClientAdapter(handler),
            new SimpleJsonSerializer());
        connection.SetRequestTimeout(Timeout.InfiniteTimeSpan); // the resilience handler times each attempt out
        return connection;
    }

    /// <summary>The decoded README of a repository.</summary>
    /// <param name="repo">The repository.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The README text, or the error.</returns>
    public async Task<(string? Text, string? Error)> GetReadmeAsync(GitHubRepository repo, CancellationToken cancellationToken)
    {
        var what = $"README of {repo}";
        var (items, error) = await GetContentsAsync($"repos/{Escape(repo.Owner)}/{Escape(repo.Name)}/readme", what, cancellationToken).ConfigureAwait(false);
        return error is null ? DecodeFile(items!, null, what) : (null, error);
    }

    /// <summary>The decoded content of one file.</summary>
    /// <param name="repo">The repository.</param>
    /// <param name="path">The file's path in the repository.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The text, or the error.</returns>
    public async Task<(string? Text, string? Error)> GetFileAsync(GitHubRepository repo, string path, CancellationToken cancellationToken)
    {
        var what = $"{path} in {repo}";
        var (items, error) = await GetContentsAsync(ContentsUri(repo, path), what, cancellationToken).ConfigureAwait(false);
        return error is null ? DecodeFile(items!, path, what) : (null, error);
    }

    /// <summary>The entries of one folder (path, type, size).</summary>
    /// <param name="repo">The repository.</param>
    /// <param name="path">The folder ("" for the root).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entries, or the error.</returns>
    public async Task<(List<GitHubEntry>? Entries, string? Error)> ListFolderAsync(GitHubRepository repo, string path, CancellationToken cancellationToken)
    {
        var what = path.Length == 0 ? $"file list of {repo}" : $"file list of {repo}/{path}";
        var (items, error) = await GetContentsAsync(ContentsUri(repo, path), what, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return (null, error);
        }

        if (IsSingleFile(items!, path))
        {
            return (null, $"{what}: '{path}' is a file, not a folder.");
        }

        return ([.. items!.Select(e => new GitHubEntry(e.Path ?? "", e.Type.StringValue ?? "file", e.Size))], null);
    }

    /// <summary>GETs a contents-API resource (an object for a file, an array for a folder) as a list.</summary>
    private async Task<(IReadOnlyList<RepositoryContent>? Items, string? Error)> GetContentsAsync(string relative, string what, CancellationToken cancellationToken)
    {
        var url = new Uri(options.GitHubBaseAddress, relative);
        var attempts = HttpCallAttempts.Begin();
        try
        {
            // Octokit reads a single object into a one-item list.
            var response = await connection.Get<List<RepositoryContent>>(url, null, Accept, cancellationToken).ConfigureAwait(false);
            return (response.Body ?? [], null);
        }
        catch (ApiException ex)
        {
            return (null, HttpFetcher.Describe(what, (int)ex.StatusCode, url, attempts, ex.HttpResponse?.Body as string ?? ex.ApiError?.Message));
        }
        catch (Exception ex) when (HttpFetcher.DescribeException(what, url, attempts, ex, options.HttpTimeout) is { } message)
        {
            return (null, message);
        }
    }

    private static bool IsSingleFile(IReadOnlyList<RepositoryContent> items, string? path)
        => items.Count == 1 && items[0].Type.StringValue != "dir" && (path is null || items[0].Path is null || string.Equals(items[0].Path.Trim('/'), path, StringComparison.Ordinal));

    private static string ContentsUri(GitHubRepository repo, string path)
    {
        var escaped = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Escape));
        return $"repos/{Escape(repo.Owner)}/{Escape(repo.Name)}/contents/{escaped}";
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static (string? Text, string? Error) DecodeFile(IReadOnlyList<RepositoryContent> items, string? path, string what)
    {
        if (!IsSingleFile(items, path))
        {
            return (null, $"{what}: this is a folder; use github_list_files to see its files.");
        }

        var file = items[0];
        if (file.EncodedContent is null)
        {
            return (null, $"{what}: the answer has no file content (it may be a submodule or a symlink, or too large for the contents API).");
        }

        if (!string.Equals(file.Encoding ?? "base64", "base64", StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(file.Encoding, "none", StringComparison.OrdinalIgnoreCase)
                ? (null, $"{what}: the file is too large for the contents API.")
                : (file.EncodedContent, null);
        }

        try
        {
            return (Encoding.UTF8.GetString(Convert.FromBase64String(file.EncodedContent)), null);
        }
        catch (FormatException)
        {
            return (null, $"{what}: GitHub answered with content that is not valid base64.");
        }
    }
}
