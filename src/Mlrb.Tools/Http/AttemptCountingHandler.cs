namespace Mlrb.Tools.Http;

/// <summary>The innermost handler of the tool clients: records each attempt the resilience handler makes.</summary>
internal sealed class AttemptCountingHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpCallAttempts.Record();
        return base.SendAsync(request, cancellationToken);
    }
}
