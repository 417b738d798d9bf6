using System.Net;

namespace Mlrb.Eval.Serving;

/// <summary>How <see cref="OpenAiServer"/> listens and what it accepts.</summary>
public sealed record OpenAiServerOptions
{
    /// <summary>The address to listen on. Default 127.0.0.1 (loopback); any other address requires <see cref="ApiKey"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one (read it back from <see cref="OpenAiServer.BaseAddress"/>). Default 8000.</summary>
    public int Port { get; init; } = 8000;

    /// <summary>When set, every <c>/v1</c> request must carry <c>Authorization: Bearer KEY</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The model id clients name (<c>/v1/models</c> lists it; other ids get 404). Null uses the model folder's name.</summary>
    public string? ModelId { get; init; }

    /// <summary>Most requests in flight (queued in the engine or decoding); more get 429 until some finish. Default 1024.</summary>
    public int MaxConcurrentRequests { get; init; } = 1024;

    /// <summary>Most bytes in one request body; larger bodies get 413. Default 16 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 16L << 20;

    /// <summary>Most prompts × <c>n</c> in one completions request. Default 256.</summary>
    public int MaxChoicesPerRequest { get; init; } = 256;

    /// <summary>Checks the options: a port in range, and an API key whenever the host is not a loopback address.</summary>
    /// <exception cref="ArgumentException">The options are unusable; the message says why.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port must be in [0, 65535], found {Port}.");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("--host must not be empty.");
        }

        if (!IsLoopback(Host) && string.IsNullOrEmpty(ApiKey))
        {
            throw new ArgumentException($"--host {Host} is not a loopback address: serving beyond this machine requires --api-key KEY (clients then send 'Authorization: Bearer KEY').");
        }

        if (MaxConcurrentRequests <= 0 || MaxRequestBodyBytes <= 0 || MaxChoicesPerRequest <= 0)
        {
            throw new ArgumentException("MaxConcurrentRequests, MaxRequestBodyBytes and MaxChoicesPerRequest must be positive.");
        }
    }

    /// <summary>Whether <paramref name="host"/> names this machine only (localhost, 127.0.0.0/8, ::1).</summary>
    internal static bool IsLoopback(string host)
        => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
