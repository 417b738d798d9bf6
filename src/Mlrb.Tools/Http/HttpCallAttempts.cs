namespace Mlrb.Tools.Http;

/// <summary>
/// Counts the HTTP attempts of one logical call (the first try plus the resilience handler's retries), so failure
/// messages can say "after 4 attempts". A caller opens a counter with <see cref="Begin"/>; the innermost handler of each
/// tool client records every attempt into it through the async flow.
/// </summary>
internal sealed class HttpCallAttempts
{
    private static readonly AsyncLocal<HttpCallAttempts?> CurrentCall = new();
    private int _count;

    /// <summary>Attempts sent so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Opens a counter for the current async flow.</summary>
    /// <returns>The counter.</returns>
    public static HttpCallAttempts Begin()
    {
        var attempts = new HttpCallAttempts();
        CurrentCall.Value = attempts;
        return attempts;
    }

    /// <summary>Records one attempt on the current flow's counter, if any.</summary>
    public static void Record()
    {
        if (CurrentCall.Value is { } attempts)
        {
            Interlocked.Increment(ref attempts._count);
        }
    }

    /// <summary>"1 attempt" or "N attempts".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Count == 1 ? "1 attempt" : $"{Count} attempts";
}
