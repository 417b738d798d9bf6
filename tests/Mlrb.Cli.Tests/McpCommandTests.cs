using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Mlrb.Cli.Commands;
using Mlrb.Cli.Commands.Mcp;
using Mlrb.Testing;
using Mlrb.Tools;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mlrb.Cli.Tests;

public class McpCommandTests
{
    private static readonly string[] AllTools =
    [
        "run_python", "run_bash", "return_fn", "write_code", "insert_code", "replace_code", "delete_code", "scratchpad", "thought",
        "github_get_readme", "github_list_files", "github_get_file_code",
        "search_papers", "get_paper_details", "get_paper_abstract", "get_paper_citations", "download_paper",
    ];

    private string _workdir = null!;

    [SetUp]
    public void SetUp() => _workdir = TestPaths.CreateTempDirectory("mlrb-mcp");

    [TearDown]
    public void TearDown() => Directory.Delete(_workdir, true);

    [Test]
    public async Task InProcess_ListsEveryToolWithItsSchema_AndCallsWriteCodeThenRunPython()
    {
        var clientToServer = new Pipe();
        var serverToClient = new Pipe();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var settings = new McpHostSettings(_workdir, AllowNetwork: true, SandboxMode.Auto, TimeoutSeconds: 60);
        var serverTask = McpToolServer.RunAsync(
            settings,
            (options, logs) => new StreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream(), "mlrb-tools", logs),
            NullLoggerFactory.Instance,
            _ => null,
            stop.Token);

        await using (var client = await McpClient.CreateAsync(
            new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream()),
            cancellationToken: stop.Token))
        {
            Assert.That(client.ServerInfo?.Name, Is.EqualTo("mlrb-tools"));
            var tools = await client.ListToolsAsync(cancellationToken: stop.Token);
            Assert.That(tools.Select(t => t.Name), Is.EquivalentTo(AllTools));
            var writeSchema = tools.Single(t => t.Name == "write_code").ProtocolTool.InputSchema;
            Assert.That(writeSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "path", "code" }));
            Assert.That(tools.Single(t => t.Name == "run_python").ProtocolTool.InputSchema.GetProperty("properties").TryGetProperty("filepath", out _), Is.True);

            var write = await client.CallToolAsync(
                "write_code",
                new Dictionary<string, object?> { ["path"] = "calc.py", ["code"] = "print(6 * 7)\n" },
                cancellationToken: stop.Token);
            Assert.That(write.IsError, Is.Not.True, Text(write));
            Assert.That(File.ReadAllText(Path.Combine(_workdir, "calc.py")), Is.EqualTo("print(6 * 7)\n"));

            var run = await client.CallToolAsync("run_python", new Dictionary<string, object?> { ["filepath"] = "calc.py" }, cancellationToken: stop.Token);
            Assert.That(run.IsError, Is.Not.True, Text(run));
            Assert.That(Text(run), Does.Contain("run_python: success (exit code 0)").And.Contain("42"));

            var bad = await client.CallToolAsync("write_code", new Dictionary<string, object?> { ["path"] = "../escape.py", ["code"] = "x" }, cancellationToken: stop.Token);
            Assert.That(bad.IsError, Is.True);
            Assert.That(Text(bad), Does.Contain("outside the workspace"));
        }

        await stop.CancelAsync();
        clientToServer.Writer.Complete();
        try
        {
            await serverTask;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Test]
    public async Task RealProcess_ServesOverStdio()
    {
        var cliDll = Path.Combine(AppContext.BaseDirectory, "mlrb.dll");
        Assert.That(File.Exists(cliDll), Is.True, cliDll);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stderr = new List<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mlrb",
            Command = "dotnet",
            Arguments = [cliDll, "mcp", "--workdir", _workdir, "--timeout", "60"],
            StandardErrorLines = line => { lock (stderr) { stderr.Add(line); } },
        });
        // Pinned: with the default (2026-07-28) the client first probes with server/discover under a short timeout; a
        // server process still starting on a loaded machine answers the probe late, the client falls back to initialize,
        // and the server (now on 2026-07-28) refuses it. An initialize-capable version skips the probe.
        var clientOptions = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        await using var client = await McpClient.CreateAsync(transport, clientOptions, cancellationToken: stop.Token);
        var tools = await client.ListToolsAsync(cancellationToken: stop.Token);
        Assert.That(tools, Has.Count.EqualTo(AllTools.Length));
        var thought = await client.CallToolAsync("thought", new Dictionary<string, object?> { ["thought"] = "stdio works" }, cancellationToken: stop.Token);
        Assert.That(Text(thought), Does.Contain("stdio works"));
    }

    [Test]
    public void Settings_RejectMissingWorkdirAndBadTimeout()
    {
        Assert.That(McpCommand.Settings(Path.Combine(_workdir, "nope"), "on", "auto", null, out var error), Is.Null);
        Assert.That(error, Does.Contain("does not exist"));
        Assert.That(McpCommand.Settings(_workdir, "on", "auto", 0, out error), Is.Null);
        Assert.That(error, Does.Contain("--timeout"));
        var ok = McpCommand.Settings(_workdir, "off", "none", 30, out _);
        Assert.That(ok, Is.EqualTo(new McpHostSettings(Path.GetFullPath(_workdir), false, SandboxMode.None, 30)));
    }

    [Test]
    public async Task Cli_MissingWorkdir_ExitsNonZero()
    {
        var code = await CliApplication.BuildRoot().Parse(["mcp"]).InvokeAsync();
        Assert.That(code, Is.Not.EqualTo(0));
        code = await CliApplication.BuildRoot().Parse(["mcp", "--workdir", Path.Combine(_workdir, "missing")]).InvokeAsync();
        Assert.That(code, Is.EqualTo(2));
        code = await CliApplication.BuildRoot().Parse(["mcp", "--workdir", _workdir, "--network", "maybe"]).InvokeAsync();
        Assert.That(code, Is.Not.EqualTo(0));
    }

    private static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
