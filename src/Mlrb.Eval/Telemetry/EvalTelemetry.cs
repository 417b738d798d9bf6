using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mlrb.Eval.Telemetry;

/// <summary>
/// The evaluator's OpenTelemetry signals through <c>System.Diagnostics</c>: one span per phase on the <c>Mlrb.Eval</c>
/// activity source (<c>mlrb.eval.load</c>, <c>mlrb.eval.prepare</c>, <c>mlrb.eval.score</c> and, inside it,
/// <c>mlrb.eval.tokenize</c> per scored chunk) with token counts and tokens per second, and token and throughput
/// instruments on the <c>Mlrb.Eval</c> meter. Nothing is recorded unless a listener subscribes.
/// </summary>
internal static class EvalTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "Mlrb.Eval";

    /// <summary>Tag: tokens the phase processed.</summary>
    public const string TokensTag = "mlrb.eval.tokens";

    /// <summary>Tag: tokens per second of the phase.</summary>
    public const string TokensPerSecondTag = "mlrb.eval.tokens_per_second";

    /// <summary>Tag: requests (context/continuation pairs) the phase handled.</summary>
    public const string RequestsTag = "mlrb.eval.requests";

    private static readonly string? Version = typeof(EvalTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Where evaluation spans start.</summary>
    public static ActivitySource Source { get; } = new(Name, Version);

    private static Meter Meter { get; } = new(Name, Version);

    private static Counter<long> Tokens { get; } = Meter.CreateCounter<long>("mlrb.eval.tokens", "{token}", "Tokens processed, by phase.");

    private static Histogram<double> Throughput { get; } = Meter.CreateHistogram<double>("mlrb.eval.throughput", "{token}/s", "Tokens per second of a phase.");

    /// <summary>Starts the span of a phase (null when nobody listens).</summary>
    /// <param name="phase"><c>load</c>, <c>prepare</c>, <c>score</c> or <c>tokenize</c>.</param>
    /// <returns>The span.</returns>
    public static Activity? Start(string phase) => Source.StartActivity("mlrb.eval." + phase, ActivityKind.Internal);

    /// <summary>Records a phase's token work on its span and in the metrics.</summary>
    /// <param name="activity">The phase's span, if any.</param>
    /// <param name="phase">The phase, for the metric tags.</param>
    /// <param name="tokens">Tokens processed.</param>
    /// <param name="requests">Requests handled.</param>
    /// <param name="elapsed">Time the phase took.</param>
    public static void Record(Activity? activity, string phase, long tokens, int requests, TimeSpan elapsed)
    {
        var perSecond = elapsed > TimeSpan.Zero ? tokens / elapsed.TotalSeconds : 0;
        activity?.SetTag(TokensTag, tokens);
        activity?.SetTag(RequestsTag, requests);
        activity?.SetTag(TokensPerSecondTag, Math.Round(perSecond, 1));
        var tags = new TagList { { "mlrb.eval.phase", phase } };
        Tokens.Add(tokens, tags);
        if (elapsed > TimeSpan.Zero)
        {
            Throughput.Record(perSecond, tags);
        }
    }
}
