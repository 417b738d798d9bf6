using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mlrb.Cli.Telemetry;

/// <summary>
/// Exports the Mlrb traces and metrics of one command to an OpenTelemetry collector over OTLP, when <c>--otlp</c> or
/// <c>MLRB_OTLP_ENDPOINT</c> names one. The protocol is gRPC unless <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> is
/// <c>http/protobuf</c>. Disposing flushes what is buffered.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    /// <summary>The environment variable that turns export on without the flag.</summary>
    public const string EndpointVariable = "MLRB_OTLP_ENDPOINT";

    private readonly TracerProvider _traces;
    private readonly MeterProvider _metrics;

    private OtlpExport(Uri endpoint)
    {
        var http = string.Equals(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL"), "http/protobuf", StringComparison.OrdinalIgnoreCase);
        var resource = ResourceBuilder.CreateDefault().AddService("mlrb", serviceVersion: typeof(OtlpExport).Assembly.GetName().Version?.ToString());
        _traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(CliTelemetry.Sources)
            .AddOtlpExporter(o => Configure(o, endpoint, http, "v1/traces"))
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(CliTelemetry.Meters)
            .AddOtlpExporter(o => Configure(o, endpoint, http, "v1/metrics"))
            .Build();
    }

    /// <summary>Starts exporting when an endpoint is given by the flag or the environment.</summary>
    /// <param name="flag">The <c>--otlp</c> value, if any.</param>
    /// <returns>The export (dispose it at the end of the command), or null when none was asked for.</returns>
    /// <exception cref="ArgumentException">The endpoint is not an absolute http(s) URL.</exception>
    public static OtlpExport? Start(string? flag)
    {
        var text = string.IsNullOrWhiteSpace(flag) ? Environment.GetEnvironmentVariable(EndpointVariable) : flag;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--otlp / {EndpointVariable}: '{text}' is not an http(s) URL such as http://localhost:4317.");
        }

        return new OtlpExport(endpoint);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _traces.Dispose();
        _metrics.Dispose();
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint, bool http, string signalPath)
    {
        options.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        options.Endpoint = http ? new Uri(endpoint.ToString().TrimEnd('/') + "/" + signalPath) : endpoint;
    }
}
