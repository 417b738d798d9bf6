using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Tools.Core;

/// <summary>
/// The tools' OpenTelemetry signals through <c>System.Diagnostics</c>: a span per tool call on the <c>Mlrb.Tools</c>
/// activity source (name, outcome, duration, sandbox mode for process tools) and call counts and durations on the
/// <c>Mlrb.Tools</c> meter. Nothing is recorded unless a listener (an OpenTelemetry SDK) subscribes.
/// </summary>
internal static class ToolTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "Mlrb.Tools";

    /// <summary>Tag: the tool's name.</summary>
    public const string ToolNameTag = "mlrb.tool.name";

    /// <summary>Tag: <c>success</c>, <c>failure</c> or <c>timed_out</c>.</summary>
    public const string StatusTag = "mlrb.tool.status";

    /// <summary>Tag: how a process tool's child was confined, <c>bubblewrap</c> or <c>none</c>.</summary>
    public const string SandboxTag = "mlrb.sandbox.mode";

    /// <summary>Tag: a process tool's exit code.</summary>
    public const string ExitCodeTag = "mlrb.tool.exit_code";

    private static readonly string? Version = typeof(ToolTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Where tool spans start.</summary>
    public static ActivitySource Source { get; } = new(Name, Version);

    private static Meter Meter { get; } = new(Name, Version);

    private static Counter<long> Calls { get; } = Meter.CreateCounter<long>("mlrb.tool.calls", "{call}", "Tool calls, by tool and status.");

    private static Histogram<double> Duration { get; } = Meter.CreateHistogram<double>("mlrb.tool.duration", "s", "How long tool calls took.");

    /// <summary>Starts the span of one call of <paramref name="tool"/> (null when nobody listens).</summary>
    /// <param name="tool">The tool's name.</param>
    /// <returns>The span.</returns>
    public static Activity? Start(string tool)
    {
        var activity = Source.StartActivity($"mlrb.tool {tool}", ActivityKind.Internal);
        activity?.SetTag(ToolNameTag, tool);
        return activity;
    }

    /// <summary>Ends a call: tags the span with the outcome and records the metrics.</summary>
    /// <param name="activity">The call's span, if any.</param>
    /// <param name="result">How the call ended.</param>
    /// <param name="elapsed">How long it took.</param>
    public static void Finish(Activity? activity, ToolResult result, TimeSpan elapsed)
    {
        var status = Status(result.Status);
        if (activity is not null)
        {
            activity.SetTag(StatusTag, status);
            if (result.ExitCode is { } code)
            {
                activity.SetTag(ExitCodeTag, code);
            }

            if (!result.IsSuccess)
            {
                activity.SetStatus(ActivityStatusCode.Error, status);
            }
        }

        var tags = new TagList { { ToolNameTag, result.Tool }, { StatusTag, status } };
        Calls.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Tags the current tool span with how its child process is confined.</summary>
    /// <param name="sandboxed">Whether bubblewrap confines it.</param>
    public static void TagSandbox(bool sandboxed) => Activity.Current?.SetTag(SandboxTag, sandboxed ? "bubblewrap" : "none");

    private static string Status(ToolStatus status) => status switch
    {
        ToolStatus.Success => "success",
        ToolStatus.TimedOut => "timed_out",
        _ => "failure",
    };
}
