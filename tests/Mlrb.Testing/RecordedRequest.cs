namespace Mlrb.Testing;

/// <summary>A request the loopback server received.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Full URL.</param>
/// <param name="Headers">Request headers.</param>
/// <param name="Body">Body as text.</param>
public sealed record RecordedRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string Body);
