using System.CommandLine;
using Microsoft.Extensions.Logging;
using Mlrb.Cli.Commands.Mcp;
using Mlrb.Tools;
using ModelContextProtocol.Server;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb mcp</c> verb: the tools as an MCP server over stdio, working in one folder.</summary>
internal static class McpCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var workdir = new Option<string>("--workdir") { Description = "The folder the tools work in (must exist); every path they touch stays inside it.", Required = true };
        var network = new Option<string>("--network") { Description = "Whether tool processes may use the network: on or off (off needs bubblewrap).", DefaultValueFactory = _ => "on" };
        network.AcceptOnlyFromAmong("on", "off");
        var sandbox = new Option<string>("--sandbox") { Description = "How tool processes are confined. auto (the default): bubblewrap when it works here, else unconfined with a warning; bubblewrap: required (calls fail without it); none: never (environment allow-list, limits and kills still apply). See docs/tools.md for what each mode guarantees.", DefaultValueFactory = _ => "auto" };
        sandbox.AcceptOnlyFromAmong("auto", "bubblewrap", "none");
        var timeout = new Option<int?>("--timeout") { Description = "Default timeout of run_python/run_bash, in seconds (default 600)." };
        var maxMessage = new Option<int>("--max-message-bytes")
        {
            Description = "Largest JSON-RPC message (one line) accepted, in bytes; a longer one is answered with an Invalid Request error and skipped unread (default 8388608).",
            DefaultValueFactory = _ => DefaultMaxMessageBytes,
        };
        var command = new Command("mcp", "Serve the tools over MCP (stdio), working in --workdir. Logs go to stderr. GITHUB_TOKEN and SEMANTIC_SCHOLAR_API_KEY are read from the environment (never passed to tool processes).")
        {
            workdir, network, sandbox, timeout, maxMessage,
        };
        var limitOptions = new Sandbox.LimitOptions();
        limitOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = Settings(parse.GetValue(workdir)!, parse.GetValue(network)!, parse.GetValue(sandbox)!, parse.GetValue(timeout), out var error);
            var limits = new ProcessLimits();
            if (settings is not null && limitOptions.Apply(parse, limits) is { } limitError)
            {
                (settings, error) = (null, limitError);
            }

            if (settings is not null && parse.GetValue(maxMessage) < 1024)
            {
                (settings, error) = (null, $"--max-message-bytes must be at least 1024 (got {parse.GetValue(maxMessage)}).");
            }

            if (settings is null)
            {
                await Console.Error.WriteLineAsync($"mlrb mcp: {error}").ConfigureAwait(false);
                return 2;
            }

            settings = settings with { Limits = limits };

            using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information));
            // stdin passes through the gate (size limit, JSON-RPC validation, initialize-first) before the SDK reads it.
            using var gateStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var gate = new JsonRpcGate(Console.OpenStandardInput(), Console.OpenStandardOutput(), parse.GetValue(maxMessage));
            var gateTask = gate.RunAsync(gateStop.Token);
            _ = gateTask.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await McpToolServer.RunAsync(
                settings,
                (options, logs) => new StreamServerTransport(gate.ServerInput, gate.ServerOutput, options.ServerInfo?.Name, logs),
                loggerFactory,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await gateStop.CancelAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Default <c>--max-message-bytes</c>: 8 MiB, room for any tool call a model makes, far below what hurts.</summary>
    public const int DefaultMaxMessageBytes = 8 << 20;

    /// <summary>Checks the command line; returns null with a one-line error when it is bad.</summary>
    /// <param name="workdir">--workdir.</param>
    /// <param name="network">--network.</param>
    /// <param name="sandbox">--sandbox.</param>
    /// <param name="timeout">--timeout.</param>
    /// <param name="error">The problem.</param>
    /// <returns>The settings or null.</returns>
    internal static McpHostSettings? Settings(string workdir, string network, string sandbox, int? timeout, out string error)
    {
        error = "";
        var full = Path.GetFullPath(workdir);
        if (!Directory.Exists(full))
        {
            error = $"--workdir '{workdir}' does not exist; create it first.";
            return null;
        }

        if (timeout is <= 0)
        {
            error = $"--timeout must be a positive number of seconds (got {timeout}).";
            return null;
        }

        var mode = sandbox switch
        {
            "bubblewrap" => SandboxMode.Bubblewrap,
            "none" => SandboxMode.None,
            _ => SandboxMode.Auto,
        };
        return new McpHostSettings(full, network != "off", mode, timeout);
    }
}
