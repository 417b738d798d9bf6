using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mlrb.Tools.Tests.Core;

public class ToolTelemetryTests
{
    [Test]
    public async Task EachCall_IsASpan_WithTheToolItsOutcomeAndTheSandboxMode()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        using var spans = new SpanRecorder("Mlrb.Tools");
        using var parent = SpanRecorder.StartParent();

        await h.InvokeAsync("run_bash", new { script = "echo hi" });
        await h.InvokeAsync("write_code", new { path = 3 });

        var recorded = spans.ChildrenOf(parent);
        Assert.That(recorded.Select(s => s.DisplayName), Is.EqualTo(new[] { "mlrb.tool run_bash", "mlrb.tool write_code" }));
        var bash = recorded[0];
        Assert.That(bash.GetTagItem("mlrb.tool.name"), Is.EqualTo("run_bash"));
        Assert.That(bash.GetTagItem("mlrb.tool.status"), Is.EqualTo("success"));
        Assert.That(bash.GetTagItem("mlrb.sandbox.mode"), Is.EqualTo("none"));
        Assert.That(bash.GetTagItem("mlrb.tool.exit_code"), Is.EqualTo(0));
        Assert.That(bash.Duration, Is.GreaterThan(TimeSpan.Zero));
        var write = recorded[1];
        Assert.That(write.GetTagItem("mlrb.tool.status"), Is.EqualTo("failure"));
        Assert.That(write.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(write.GetTagItem("mlrb.sandbox.mode"), Is.Null, "only process tools have a sandbox");
    }

    /// <summary>Records the spans of one activity source that belong to a parent this test starts (tests may run in parallel).</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private const string TestSourceName = "Mlrb.Tools.Tests.Telemetry";
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanRecorder(string sourceName)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == sourceName || s.Name == TestSourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public static Activity StartParent() => TestSource.Value.StartActivity("test")!;

        private static readonly Lazy<ActivitySource> TestSource = new(() => new ActivitySource(TestSourceName));

        public List<Activity> ChildrenOf(Activity parent) => [.. _stopped.Where(a => a.ParentSpanId == parent.SpanId && a.TraceId == parent.TraceId)];

        public void Dispose() => _listener.Dispose();
    }
}
