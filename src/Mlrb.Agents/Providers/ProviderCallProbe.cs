namespace Mlrb.Agents.Providers;

/// <summary>
/// What the HTTP layer saw on the last response of a model call (status and <c>Retry-After</c>), so retry logic
/// can decide without knowing each SDK's exception types. Scoped to the current async flow.
/// </summary>
internal sealed class ProviderCallProbe
{
    private static readonly AsyncLocal<ProviderCallProbe?> CurrentProbe = new();

    /// <summary>The probe of the current call, if a caller opened one.</summary>
    public static ProviderCallProbe? Current => CurrentProbe.Value;

    /// <summary>Status code of the last HTTP response, or null when none arrived.</summary>
    public int? LastStatusCode { get; set; }

    /// <summary>The server's requested wait, from <c>Retry-After</c> (seconds or HTTP date) or <c>retry-after-ms</c>.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Opens a fresh probe for the current async flow.</summary>
    /// <returns>The new probe.</returns>
    public static ProviderCallProbe Begin()
    {
        var probe = new ProviderCallProbe();
        CurrentProbe.Value = probe;
        return probe;
    }
}
