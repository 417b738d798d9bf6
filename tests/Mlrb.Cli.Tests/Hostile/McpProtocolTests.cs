using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Mlrb.Cli.Commands.Mcp;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests.Hostile;

/// <summary>
/// The JSON-RPC gate in front of <c>mlrb mcp</c>: every malformed message gets the error JSON-RPC 2.0 prescribes,
/// requests before <c>initialize</c> are refused, oversized lines are refused without being held in memory.
/// </summary>
public class McpProtocolTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    /// <summary>Feeds lines through a gate and returns what it answered and what it forwarded.</summary>
    private static async Task<(List<JsonNode> Answers, List<string> Forwarded)> GateAsync(int maxBytes, params string[] lines)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        var output = new MemoryStream();
        using var gate = new JsonRpcGate(input, output, maxBytes);
        var forwarded = new StreamReader(gate.ServerInput).ReadToEndAsync();
        await gate.RunAsync(CancellationToken.None);
        var answers = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        return (answers, (await forwarded).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }

    private static void AssertError(JsonNode answer, int code, JsonNode? id)
    {
        Assert.That(answer["jsonrpc"]!.GetValue<string>(), Is.EqualTo("2.0"));
        Assert.That(answer["error"]!["code"]!.GetValue<int>(), Is.EqualTo(code), answer.ToJsonString());
        Assert.That(answer["error"]!["message"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(answer.AsObject().ContainsKey("id"), Is.True, "an error response always carries id");
        Assert.That(JsonNode.DeepEquals(answer["id"], id), Is.True, $"id: {answer["id"]?.ToJsonString() ?? "null"}");
    }

    [TestCase("{bad json", JsonRpcGate.ParseError)]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"", JsonRpcGate.ParseError)]
    [TestCase("42", JsonRpcGate.InvalidRequest)]
    [TestCase("\"text\"", JsonRpcGate.InvalidRequest)]
    [TestCase("null", JsonRpcGate.InvalidRequest)]
    [TestCase("[]", JsonRpcGate.InvalidRequest)]
    [TestCase("{}", JsonRpcGate.InvalidRequest)]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", JsonRpcGate.InvalidRequest)]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}", JsonRpcGate.InvalidRequest)]
    [TestCase("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", JsonRpcGate.InvalidRequest)]
    [TestCase("{\"jsonrpc\":\"2.0\",\"method\":7}", JsonRpcGate.InvalidRequest)]
    public async Task Malformed_GetsThePrescribedError_WithIdNull(string line, int code)
    {
        var (answers, forwarded) = await GateAsync(1 << 20, line);

        Assert.That(forwarded, Is.Empty, "nothing malformed reaches the server");
        Assert.That(answers, Has.Count.EqualTo(1));
        AssertError(answers[0], code, null);
    }

    [Test]
    public async Task InvalidRequest_WithAReadableId_EchoesTheId()
    {
        var (answers, forwarded) = await GateAsync(
            1 << 20, "{\"jsonrpc\":\"1.0\",\"id\":17,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"ping\",\"params\":3}", "{\"id\":1,\"method\":\"ping\"}");

        Assert.That(forwarded, Is.Empty);
        AssertError(answers[0], JsonRpcGate.InvalidRequest, JsonValue.Create(17));
        AssertError(answers[1], JsonRpcGate.InvalidRequest, JsonValue.Create("x"));
        AssertError(answers[2], JsonRpcGate.InvalidRequest, JsonValue.Create(1));
    }

    [Test]
    public async Task Batch_GetsAnArrayWithOneErrorPerElement()
    {
        var (answers, forwarded) = await GateAsync(1 << 20, "[1, {\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}]");

        Assert.That(forwarded, Is.Empty);
        var batch = answers.Single().AsArray();
        Assert.That(batch, Has.Count.EqualTo(2));
        AssertError(batch[0]!, JsonRpcGate.InvalidRequest, null);
        AssertError(batch[1]!, JsonRpcGate.InvalidRequest, JsonValue.Create(5));
    }

    [Test]
    public async Task InvalidUtf8_IsAParseError()
    {
        var input = new MemoryStream([.. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p"u8, 0xC3, 0x28, .. "\"}\n"u8]);
        var output = new MemoryStream();
        using var gate = new JsonRpcGate(input, output, 1 << 20);
        await gate.RunAsync(CancellationToken.None);

        AssertError(JsonNode.Parse(output.ToArray())!, JsonRpcGate.ParseError, null);
    }

    [Test]
    public async Task ToolsCall_BeforeInitialize_IsRefused_AndNotForwarded_ThenAllowedAfter()
    {
        const string call = """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"thought","arguments":{"thought":"x"}}}""";
        var (answers, forwarded) = await GateAsync(1 << 20, call, """{"jsonrpc":"2.0","id":10,"method":"ping"}""", Initialize, call);

        Assert.That(answers, Has.Count.EqualTo(1));
        AssertError(answers[0], JsonRpcGate.NotInitialized, JsonValue.Create(9));
        Assert.That(forwarded, Has.Count.EqualTo(3), "ping, initialize and the later call pass");
        Assert.That(forwarded[2], Does.Contain("tools/call"));
    }

    [Test]
    public async Task LineOverTheLimit_IsRefused_AndTheNextLineStillWorks()
    {
        var big = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"thought","arguments":{"thought":" """ + new string('a', 5000) + "\"}}}";
        var (answers, forwarded) = await GateAsync(1024, Initialize, big, """{"jsonrpc":"2.0","id":2,"method":"ping"}""");

        AssertError(answers.Single(), JsonRpcGate.InvalidRequest, null);
        Assert.That(answers[0]["error"]!["message"]!.GetValue<string>(), Does.Contain("over the 1,024-byte limit"));
        Assert.That(forwarded, Has.Count.EqualTo(2));
        Assert.That(forwarded[1], Does.Contain("\"id\":2"));
    }

    [Test]
    public async Task Server_AnswersMalformedLinesAndRefusesEarlyCalls_OverRealStdio()
    {
        var workdir = TestPaths.CreateTempDirectory("mlrb-mcp-gate");
        try
        {
            using var server = McpServerProcess.Start(workdir);
            await server.SendAsync("42");
            await server.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"write_code","arguments":{"path":"a.py","code":"x"}}}""");
            AssertError(await server.ReadAsync(), JsonRpcGate.InvalidRequest, null);
            AssertError(await server.ReadAsync(), JsonRpcGate.NotInitialized, JsonValue.Create(1));
            Assert.That(File.Exists(Path.Combine(workdir, "a.py")), Is.False, "the early call did not run");

            await server.SendAsync(Initialize);
            Assert.That((await server.ReadAsync())["result"]!["serverInfo"]!["name"]!.GetValue<string>(), Is.EqualTo("mlrb-tools"));
        }
        finally
        {
            Directory.Delete(workdir, true);
        }
    }

    [Test]
    public async Task A300MegabyteLine_IsRefused_AndTheServerStaysUnder500MB()
    {
        var workdir = TestPaths.CreateTempDirectory("mlrb-mcp-big");
        try
        {
            using var server = McpServerProcess.Start(workdir);
            await server.SendAsync(Initialize);
            Assert.That((await server.ReadAsync())["id"]!.GetValue<string>(), Is.EqualTo("init"));
            await server.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

            // A 300 MB tools/call (a huge 'thought'), streamed in 1 MB writes and never built in this process either.
            await server.WriteRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"thought","arguments":{"thought":" """));
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'a');
            for (var i = 0; i < 300; i++)
            {
                await server.WriteRawAsync(chunk);
            }

            await server.SendAsync("\"}}}");
            var refused = await server.ReadAsync();
            AssertError(refused, JsonRpcGate.InvalidRequest, null);
            Assert.That(refused["error"]!["message"]!.GetValue<string>(), Does.Contain("over the"));

            await server.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"ping"}""");
            Assert.That((await server.ReadAsync())["id"]!.GetValue<int>(), Is.EqualTo(3), "still serving");

            var peak = server.PeakResidentBytes();
            TestContext.Out.WriteLine($"mlrb mcp peak RSS after a 300 MB line: {peak / (1 << 20)} MiB");
            Assert.That(peak, Is.GreaterThan(0).And.LessThan(500L << 20));
        }
        finally
        {
            Directory.Delete(workdir, true);
        }
    }

    /// <summary><c>mlrb mcp</c> as a real child process with its stdio.</summary>
    private sealed class McpServerProcess : IDisposable
    {
        private readonly Process _process;

        private McpServerProcess(Process process) => _process = process;

        public static McpServerProcess Start(string workdir)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlrb.dll"));
            foreach (var arg in new[] { "mcp", "--workdir", workdir, "--sandbox", "none" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return new McpServerProcess(process);
        }

        public async Task SendAsync(string line) => await WriteRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

        public async Task WriteRawAsync(byte[] bytes)
        {
            await _process.StandardInput.BaseStream.WriteAsync(bytes);
            await _process.StandardInput.BaseStream.FlushAsync();
        }

        public async Task<JsonNode> ReadAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.That(line, Is.Not.Null, "the server closed its output");
            return JsonNode.Parse(line!)!;
        }

        /// <summary>VmHWM of the live server process (Linux); 0 where /proc is unavailable.</summary>
        public long PeakResidentBytes()
        {
            var status = $"/proc/{_process.Id}/status";
            if (!File.Exists(status))
            {
                Assert.Ignore("/proc is not available: cannot measure the server's peak memory here.");
            }

            var line = File.ReadLines(status).First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
