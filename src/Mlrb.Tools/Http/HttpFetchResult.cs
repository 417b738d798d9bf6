namespace Mlrb.Tools.Http;

/// <summary>The body of a successful request, or a readable error.</summary>
internal sealed record HttpFetchResult
{
    /// <summary>The body; empty on error.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>The HTTP status of the last attempt (0 when none answered).</summary>
    public int Status { get; init; }

    /// <summary>A readable error; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the request succeeded.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The body as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
