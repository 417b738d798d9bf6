using System.CommandLine;
using System.Diagnostics;
using Mlrb.Cli.Tests.Run;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Telemetry;

/// <summary>One <c>mlrb run</c> against a loopback OpenAI-compatible server is one trace: command, agent run, GenAI model calls, tool calls.</summary>
[NonParallelizable]
public class RunTelemetryTests
{
    [Test]
    public async Task MlrbRun_IsOneTrace_AgentRunWithGenAIChatSpansAndToolSpans()
    {
        await using var server = new ScriptedOpenAIServer(
        [
            ("write_code", new { path = "model/weights.txt", code = "w=0.5\n" }),
            ("return_fn", new { submission = "{\"val_loss\": 1.5}", model_path = "model" }),
        ]);
        var workdir = TestPaths.CreateTempDirectory("mlrb-run-otel");
        using var spans = new SpanCapture();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CliApplication.BuildRoot()
            .Parse(["run", "mini_baby_lm", "--provider", "openai", "--model", "scripted-local", "--endpoint", server.Endpoint,
                "--time-limit", "10m", "--workdir", workdir, "--run-id", "otel-1", "--no-eval"])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        var trace = spans.Trace("mlrb run");
        var root = trace.Single(s => s.DisplayName == "mlrb run");
        Assert.That(root.Source.Name, Is.EqualTo("Mlrb.Cli"));
        var agent = trace.Single(s => s.DisplayName == "mlrb.agent.run");
        Assert.That(agent.Source.Name, Is.EqualTo("Mlrb.Agents"));
        Assert.That(agent.ParentSpanId, Is.EqualTo(root.SpanId), "the agent run is under the command");
        Assert.That((agent.GetTagItem("mlrb.run.id"), agent.GetTagItem("mlrb.task"), agent.GetTagItem("mlrb.run.status")), Is.EqualTo(("otel-1", "mini_baby_lm", "Completed")));

        // GenAI semantic conventions: one "chat {model}" span per request the server received, under the agent run.
        var chats = trace.Where(s => (string?)s.GetTagItem("gen_ai.operation.name") == "chat").ToList();
        Assert.That(chats, Has.Count.EqualTo(server.Bodies.Count).And.Count.GreaterThanOrEqualTo(3), "plan and two worker turns at least");
        Assert.That(chats.Select(c => c.Source.Name), Is.All.EqualTo("Mlrb.Agents"));
        Assert.That(chats.Select(c => c.DisplayName), Is.All.EqualTo("chat scripted-local"));
        Assert.That(chats.Select(c => c.ParentSpanId), Is.All.EqualTo(agent.SpanId));
        Assert.That(chats.Select(c => c.GetTagItem("gen_ai.request.model")), Is.All.EqualTo("scripted-local"));
        Assert.That(chats.Select(c => Convert.ToInt64(c.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture)), Is.All.EqualTo(100), "the server's usage");
        Assert.That(chats.Select(c => c.GetTagItem("server.address")), Is.All.EqualTo("127.0.0.1"));
        Assert.That(chats.Select(c => c.Kind), Is.All.EqualTo(ActivityKind.Client));
        Assert.That(chats.Select(c => c.GetTagItem("gen_ai.provider.name")), Is.All.EqualTo("openai"));
        Assert.That(chats[0].GetTagItem("gen_ai.output.type"), Is.EqualTo("json"), "the plan is asked for as structured output");
        Assert.That(chats.Skip(1).Select(c => c.GetTagItem("gen_ai.tool.definitions")?.ToString()), Is.All.Contains("write_code"), "worker turns offer the tools");

        // Tool calls: Mlrb.Tools spans under the same agent run, in the order the worker made them.
        var tools = trace.Where(s => s.Source.Name == "Mlrb.Tools").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.That(tools.Select(t => t.GetTagItem("mlrb.tool.name")), Is.EqualTo(new[] { "write_code", "return_fn" }));
        Assert.That(tools.Select(t => t.ParentSpanId), Is.All.EqualTo(agent.SpanId));
        Assert.That(tools.Select(t => t.GetTagItem("mlrb.tool.status")), Is.All.EqualTo("success"));
        Assert.That(trace.Select(s => s.TraceId).Distinct().Count(), Is.EqualTo(1));
    }
}
