using System.IO.Pipelines;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mlrb.Tools.Tests.Mcp;

public class McpToolAdapterTests
{
    [Test]
    public async Task Adapter_ServesSchemas_FlagsFailures_AndReturnsTheSubmissionAsStructuredContent()
    {
        using var h = new ToolHarness(o => o.Sandbox = SandboxMode.None);
        File.WriteAllText(h.PathOf("model.bin"), "m");
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in h.Tools)
        {
            collection.Add(tool.ToMcpServerTool());
        }

        var options = new McpServerOptions { ServerInfo = new Implementation { Name = "t", Version = "1" }, ToolCollection = collection };
        var c2s = new Pipe();
        var s2c = new Pipe();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var server = McpServer.Create(new StreamServerTransport(c2s.Reader.AsStream(), s2c.Writer.AsStream()), options);
        var running = server.RunAsync(stop.Token);
        await using (var client = await McpClient.CreateAsync(new StreamClientTransport(c2s.Writer.AsStream(), s2c.Reader.AsStream()), cancellationToken: stop.Token))
        {
            var tools = await client.ListToolsAsync(cancellationToken: stop.Token);
            var bash = tools.Single(t => t.Name == "run_bash").ProtocolTool;
            Assert.That(bash.Description, Is.EqualTo(h["run_bash"].Description));
            Assert.That(bash.InputSchema.GetRawText(), Is.EqualTo(h["run_bash"].JsonSchema.GetRawText()));

            var missing = await client.CallToolAsync("thought", new Dictionary<string, object?>(), cancellationToken: stop.Token);
            Assert.That(missing.IsError, Is.True);
            Assert.That(((TextContentBlock)missing.Content.Single()).Text, Does.Contain("missing required argument 'thought'"));

            var submitted = await client.CallToolAsync(
                "return_fn",
                new Dictionary<string, object?> { ["submission"] = "{\"loss\": 2.5}", ["model_path"] = "model.bin" },
                cancellationToken: stop.Token);
            Assert.That(submitted.IsError, Is.Not.True);
            Assert.That(submitted.StructuredContent?.GetProperty("metrics").GetProperty("loss").GetString(), Is.EqualTo("2.5"));
        }

        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
