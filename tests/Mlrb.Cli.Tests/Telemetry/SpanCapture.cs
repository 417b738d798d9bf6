using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mlrb.Cli.Tests.Telemetry;

/// <summary>An OpenTelemetry tracer provider with an in-memory exporter over every <c>Mlrb.*</c> source.</summary>
internal sealed class SpanCapture : IDisposable
{
    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _provider;

    public SpanCapture()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("Mlrb.*")
            .AddInMemoryExporter(_exported)
            .Build();
    }

    /// <summary>The spans of the one trace whose root span is named <paramref name="rootName"/>.</summary>
    public IReadOnlyList<Activity> Trace(string rootName)
    {
        _provider.ForceFlush();
        lock (_exported)
        {
            var root = _exported.Single(a => a.DisplayName == rootName && a.ParentSpanId == default);
            return [.. _exported.Where(a => a.TraceId == root.TraceId)];
        }
    }

    public void Dispose() => _provider.Dispose();
}
