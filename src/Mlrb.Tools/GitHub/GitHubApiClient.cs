using System.Text;
using System.Text.Json;
using Mlrb.Tools.Http;

namespace Mlrb.Tools.GitHub;

/// <summary>The few GitHub REST calls the tools need (README, contents), over a configured <see cref="HttpClient"/>.</summary>
/// <param name="http">A client whose base address is the API root, with token and headers set.</param>
/// <param name="fetcher">Retries, timeouts and size caps.</param>
/// <param name="options">Limits.</param>
internal sealed class GitHubApiClient(HttpClient http, HttpFetcher fetcher, MlrbToolsOptions options)
{
    /// <summary>The decoded README of a repository.</summary>
    /// <param name="repo">The repository.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The README text, or the error.</returns>
    public async Task<(string? Text, string? Error)> GetReadmeAsync(GitHubRepository repo, CancellationToken cancellationToken)
    {
        var result = await fetcher.GetAsync(http, $"repos/{Escape(repo.Owner)}/{Escape(repo.Name)}/readme", $"README of {repo}", options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? DecodeFile(result, $"README of {repo}") : (null, result.Error);
    }

    /// <summary>The decoded content of one file.</summary>
    /// <param name="repo">The repository.</param>
    /// <param name="path">The file's path in the repository.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The text, or the error.</returns>
    public async Task<(string? Text, string? Error)> GetFileAsync(GitHubRepository repo, string path, CancellationToken cancellationToken)
    {
        var what = $"{path} in {repo}";
        var result = await fetcher.GetAsync(http, ContentsUri(repo, path), what, options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? DecodeFile(result, what) : (null, result.Error);
    }

    /// <summary>The entries of one folder (name, path, type, size).</summary>
    /// <param name="repo">The repository.</param>
    /// <param name="path">The folder ("" for the root).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entries, or the error.</returns>
    public async Task<(List<GitHubEntry>? Entries, string? Error)> ListFolderAsync(GitHubRepository repo, string path, CancellationToken cancellationToken)
    {
        var what = path.Length == 0 ? $"file list of {repo}" : $"file list of {repo}/{path}";
        var result = await fetcher.GetAsync(http, ContentsUri(repo, path), what, options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return (null, result.Error);
        }

        using var doc = JsonDocument.Parse(result.Body);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return (null, $"{what}: '{path}' is a file, not a folder.");
        }

        var entries = new List<GitHubEntry>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            entries.Add(new GitHubEntry(
                e.TryGetProperty("path", out var p) ? p.GetString() ?? "" : "",
                e.TryGetProperty("type", out var t) ? t.GetString() ?? "file" : "file",
                e.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : 0));
        }

        return (entries, null);
    }

    private static string ContentsUri(GitHubRepository repo, string path)
    {
        var escaped = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Escape));
        return $"repos/{Escape(repo.Owner)}/{Escape(repo.Name)}/contents/{escaped}";
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static (string? Text, string? Error) DecodeFile(HttpFetchResult result, string what)
    {
        using var doc = JsonDocument.Parse(result.Body);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return (null, $"{what}: this is a folder; use github_list_files to see its files.");
        }

        if (!root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
        {
            return (null, $"{what}: the answer has no file content (it may be a submodule or a symlink, or too large for the contents API).");
        }

        var encoding = root.TryGetProperty("encoding", out var enc) ? enc.GetString() : "base64";
        if (!string.Equals(encoding, "base64", StringComparison.OrdinalIgnoreCase))
        {
            return (content.GetString(), null);
        }

        var bytes = Convert.FromBase64String(content.GetString()!.Replace("\n", "", StringComparison.Ordinal));
        return (Encoding.UTF8.GetString(bytes), null);
    }
}
