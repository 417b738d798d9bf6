using System.CommandLine;
using Mlrb.Cli.Commands;

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
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(McpCommand.Create());
        return root;
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
