using System.CommandLine;
using System.Diagnostics;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Telemetry;

[NonParallelizable]
public class EvalTelemetryTests
{
    [Test]
    public async Task MlrbEval_IsOneTrace_LoadPrepareScoreAndTokenizeUnderTheCommandSpan()
    {
        var output = TestPaths.CreateTempDirectory("mlrb-eval-otel");
        using var spans = new SpanCapture();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CliApplication.BuildRoot()
            .Parse(["eval", "--task", "baby_lm", "--model", Path.Combine(TestPaths.RepositoryRoot, "tests", "reference", "models", "tiny-gpt2"),
                "--data", Path.Combine(TestPaths.RepositoryRoot, "samples", "data"), "--output", output])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        var trace = spans.Trace("mlrb eval");
        var root = trace.Single(s => s.DisplayName == "mlrb eval");
        Assert.That(root.Source.Name, Is.EqualTo("Mlrb.Cli"));
        Assert.That(root.GetTagItem("mlrb.cli.exit_code"), Is.EqualTo(0));
        Activity Child(string name, Activity parent) => trace.Single(s => s.DisplayName == name && s.ParentSpanId == parent.SpanId);
        var load = Child("mlrb.eval.load", root);
        var prepare = Child("mlrb.eval.prepare", root);
        var score = Child("mlrb.eval.score", root);
        Assert.That(new[] { load, prepare, score }.Select(s => s.Source.Name), Is.All.EqualTo("Mlrb.Eval"));
        Assert.That(load.GetTagItem("mlrb.eval.model")?.ToString(), Does.EndWith("tiny-gpt2"));
        Assert.That(prepare.GetTagItem("mlrb.eval.requests"), Is.EqualTo(72), "the sample data's 72 BLiMP requests");
        Assert.That(score.GetTagItem("mlrb.eval.benchmark"), Is.EqualTo("Blimp"));
        Assert.That(score.GetTagItem("mlrb.eval.requests"), Is.EqualTo(72));
        Assert.That((long)score.GetTagItem("mlrb.eval.tokens")!, Is.GreaterThan(72));
        Assert.That((double)score.GetTagItem("mlrb.eval.tokens_per_second")!, Is.GreaterThan(0));
        var tokenize = trace.Where(s => s.DisplayName == "mlrb.eval.tokenize").ToList();
        Assert.That(tokenize, Is.Not.Empty);
        Assert.That(tokenize.Select(t => t.ParentSpanId), Is.All.EqualTo(score.SpanId), "tokenization happens inside scoring, chunk by chunk");
        Assert.That(tokenize.Sum(t => (int)t.GetTagItem("mlrb.eval.requests")!), Is.EqualTo(72));
        Assert.That(tokenize.Sum(t => (long)t.GetTagItem("mlrb.eval.tokens")!), Is.GreaterThanOrEqualTo((long)score.GetTagItem("mlrb.eval.tokens")!), "every token the model read was tokenized (the last continuation token is scored, not read)");
        Assert.That(tokenize.Select(t => (double)t.GetTagItem("mlrb.eval.tokens_per_second")!), Is.All.GreaterThan(0));
    }

    [Test]
    public async Task BadOtlpEndpoint_IsRefusedWithExitCode2()
    {
        using var stderr = new StringWriter();

        var code = await CliApplication.BuildRoot().Parse(["tasks", "list", "--otlp", "not a url"]).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = stderr });

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.ToString(), Does.Contain("--otlp").And.Contain("not an http(s) URL"));
    }

    [Test]
    public async Task OtlpEndpoint_ReceivesTheCommandsTraceAndMetrics_OverHttp()
    {
        await using var collector = new LoopbackHttpServer((_, response) => LoopbackHttpServer.WriteAsync(response, 200, "", "application/x-protobuf"));
        var previous = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        int code;
        try
        {
            code = await CliApplication.BuildRoot().Parse(["tasks", "list", "--json", "--otlp", collector.BaseAddress.ToString()])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        }
        finally
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", previous);
        }

        Assert.That(code, Is.EqualTo(0));
        var traces = collector.Requests.Where(r => r.Url.AbsolutePath == "/v1/traces").ToList();
        Assert.That(traces, Is.Not.Empty, "the span was flushed when the command ended");
        Assert.That(traces.Select(r => r.Method), Is.All.EqualTo("POST"));
        Assert.That(traces.Any(r => r.Body.Contains("mlrb tasks list", StringComparison.Ordinal)), Is.True, "the protobuf payload carries the span name");
        Assert.That(traces[0].Headers["Content-Type"], Is.EqualTo("application/x-protobuf"));
    }
}
