using System.CommandLine;
using Mlrb.Cli.Commands;
using Mlrb.Cli.Telemetry;

namespace Mlrb.Cli;

/// <summary>Builds the <c>mlrb</c> command tree. Each verb lives in its own file under <c>Commands/</c>.</summary>
internal static class CliApplication
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Mlrb: the ML Research Benchmark for .NET. Give an agent an ML research task, then score the model it made.");
        root.Subcommands.Add(TasksCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ResultsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        root.Subcommands.Add(ViewCommand.Create());
        var otlp = new Option<string?>("--otlp")
        {
            Description = $"Export traces and metrics to this OpenTelemetry collector (OTLP, e.g. http://localhost:4317); also {OtlpExport.EndpointVariable}.",
            Recursive = true,
        };
        root.Options.Add(otlp);
        Trace(root, "mlrb", otlp);
        return root;
    }

    /// <summary>Runs every command's action inside its root span (and OTLP export when asked).</summary>
    private static void Trace(Command command, string path, Option<string?> otlp)
    {
        if (command.Action is { } action and not TracedAction)
        {
            command.Action = new TracedAction(action, path, otlp);
        }

        foreach (var sub in command.Subcommands)
        {
            Trace(sub, $"{path} {sub.Name}", otlp);
        }
    }

    /// <summary>Parses and runs.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
