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
        var command = new Command("mcp", "Serve the tools over MCP (stdio), working in --workdir. Logs go to stderr. GITHUB_TOKEN and SEMANTIC_SCHOLAR_API_KEY are read from the environment (never passed to tool processes).")
        {
            workdir, network, sandbox, timeout,
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

            if (settings is null)
            {
                await Console.Error.WriteLineAsync($"mlrb mcp: {error}").ConfigureAwait(false);
                return 2;
            }

            settings = settings with { Limits = limits };

            using var loggerFactory = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information));
            await McpToolServer.RunAsync(settings, (options, logs) => new StdioServerTransport(options, logs), loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

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
