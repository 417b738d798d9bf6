using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlrb.Testing;

namespace Mlrb.Cli.Tests;

/// <summary>
/// A real <c>mlrb mcp</c> process driven over stdio with raw JSON-RPC: what happens to it and to its tool processes when
/// the client disconnects, when it is sent SIGTERM or SIGKILL mid-call, and whether a tool process can read its secrets.
/// </summary>
[NonParallelizable]
public class McpLifecycleTests
{
    private string _workdir = null!;

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("process lifecycle tests use /proc and signals (Linux)");
        }

        _workdir = TestPaths.CreateTempDirectory("mlrb-mcp-life");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_workdir, true);

    private sealed class Server : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
        private int _id;

        public Server(string workdir, IDictionary<string, string>? environment = null)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "mlrb.dll"), "mcp", "--workdir", workdir, "--sandbox", "none", "--timeout", "600" })
            {
                info.ArgumentList.Add(a);
            }

            foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[k] = v;
            }

            _process = Process.Start(info)!;
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            _ = Task.Run(ReadLoop);
        }

        public Process Process => _process;

        public async Task InitializeAsync()
        {
            await RequestAsync("initialize", new JsonObject
            {
                ["protocolVersion"] = "2025-06-18",
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "test", ["version"] = "1" },
            });
            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        }

        public Task<JsonNode> CallAsync(string tool, JsonObject arguments) =>
            RequestAsync("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments });

        public Task<JsonNode> RequestAsync(string method, JsonObject parameters)
        {
            var id = Interlocked.Increment(ref _id);
            var tcs = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_pending)
            {
                _pending[id] = tcs;
            }

            _ = SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
            return tcs.Task;
        }

        private async Task SendAsync(JsonObject message)
        {
            await _process.StandardInput.WriteLineAsync(message.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }

        private async Task ReadLoop()
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(line);
                }
                catch (JsonException)
                {
                    continue;
                }

                if (node?["id"]?.GetValue<int>() is { } id)
                {
                    lock (_pending)
                    {
                        if (_pending.Remove(id, out var tcs))
                        {
                            tcs.TrySetResult(node);
                        }
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private static string UniqueSleep() => "600." + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Live (not zombie) processes whose command line holds <paramref name="marker"/>.</summary>
    private static List<int> Live(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(marker, StringComparison.Ordinal)
                    && !File.ReadAllLines(Path.Combine(dir, "status")).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z')))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Root gets a control group per call (v1 here, v2 elsewhere), which catches setsid'd processes too.</summary>
    private static bool HasCgroups => Environment.UserName == "root" && (Directory.Exists("/sys/fs/cgroup/pids") || File.Exists("/sys/fs/cgroup/cgroup.controllers"));

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.EqualTo(0));
    }

    private async Task<(Server Server, string Sleep)> StartLongCallAsync()
    {
        var server = new Server(_workdir);
        await server.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var sleep = UniqueSleep();
        var escape = HasCgroups ? $"setsid sleep {sleep} & (setsid sleep {sleep} &); " : "";
        _ = server.CallAsync("run_bash", new JsonObject { ["script"] = $"{escape}sleep {sleep} & sleep {sleep}" });
        Assert.That(await WaitAsync(() => Live(sleep).Count >= (HasCgroups ? 4 : 2), TimeSpan.FromSeconds(30)), Is.True, "the call's sleeps started");
        return (server, sleep);
    }

    [Test]
    public async Task ClientDisconnect_MidCall_StopsTheServerPromptly_AndKillsTheCallsProcesses()
    {
        var (server, sleep) = await StartLongCallAsync();
        await using (server)
        {
            var watch = Stopwatch.StartNew();
            server.Process.StandardInput.Close();
            Assert.That(await WaitAsync(() => server.Process.HasExited, TimeSpan.FromSeconds(15)), Is.True, "the server exits after EOF on stdin");
            TestContext.Out.WriteLine($"server exited {watch.Elapsed.TotalSeconds:0.0} s after EOF");
            Assert.That(await WaitAsync(() => Live(sleep).Count == 0, TimeSpan.FromSeconds(5)), Is.True, "no tool process outlives the server");
        }
    }

    [Test]
    public async Task Sigterm_MidCall_StopsTheServer_AndKillsTheCallsProcesses()
    {
        var (server, sleep) = await StartLongCallAsync();
        await using (server)
        {
            Signal(server.Process.Id, "TERM");
            Assert.That(await WaitAsync(() => server.Process.HasExited, TimeSpan.FromSeconds(15)), Is.True, "the server exits on SIGTERM");
            Assert.That(await WaitAsync(() => Live(sleep).Count == 0, TimeSpan.FromSeconds(5)), Is.True, "no tool process outlives the server");
        }
    }

    [Test]
    public async Task Sigkill_MidCall_TheWatchdogKillsTheCallsProcesses()
    {
        var (server, sleep) = await StartLongCallAsync();
        await using (server)
        {
            Signal(server.Process.Id, "KILL");
            Assert.That(await WaitAsync(() => server.Process.HasExited, TimeSpan.FromSeconds(15)), Is.True);
            Assert.That(await WaitAsync(() => Live(sleep).Count == 0, TimeSpan.FromSeconds(10)), Is.True, "no tool process outlives a killed server");
        }
    }

    [Test]
    public async Task WithoutBubblewrap_ToolProcessesCannotReadTheServersEnvironment()
    {
        var secrets = new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-planted-openai",
            ["ANTHROPIC_API_KEY"] = "sk-planted-anthropic",
            ["GITHUB_TOKEN"] = "sk-planted-github",
            ["HF_TOKEN"] = "sk-planted-hf",
        };
        await using var server = new Server(_workdir, secrets);
        await server.InitializeAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var script = "echo ppid-cmdline: $(tr '\\0' ' ' < /proc/$PPID/cmdline); tr '\\0' '\\n' < /proc/$PPID/environ; for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ 2>/dev/null; done | grep -c planted; echo done";
        var reply = await server.CallAsync("run_bash", new JsonObject { ["script"] = script }).WaitAsync(TimeSpan.FromMinutes(1));
        var text = reply.ToJsonString();
        Assert.That(text, Does.Contain("ppid-cmdline: dotnet").And.Contain("mcp"), "$PPID is the server");
        Assert.That(text, Does.Contain("done"));
        Assert.That(text, Does.Not.Contain("sk-planted"));
        Assert.That(text, Does.Contain("Permission denied"), "reading the server's environ is refused");
    }
}
