using System.Globalization;
using Mlrb.Tasks;
using Spectre.Console;

namespace Mlrb.Cli.Commands.Tasks;

/// <summary>The table of <c>mlrb tasks list</c>.</summary>
internal static class TaskListView
{
    public static void Write(TextWriter output, IReadOnlyList<ResearchTask> tasks, string benchmark)
    {
        var console = ConsoleFor(output);
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Name");
        table.AddColumn("Full name");
        table.AddColumn("Time limit");
        table.AddColumn("Benchmark");
        table.AddColumn("Compute");
        foreach (var task in tasks)
        {
            table.AddRow(
                Markup.Escape(task.Name),
                Markup.Escape(task.FullName),
                Markup.Escape(TaskText.Duration(task.TimeLimit)),
                Markup.Escape(TaskText.Benchmarks(task.Evaluation)),
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{task.Compute.GpuCount}x {task.Compute.GpuKind} {task.Compute.GpuMemoryGb}GB")));
        }

        console.Write(table);
        var hint = benchmark == "full" ? " Use --benchmark mini or all for the 8-hour variants." : string.Empty;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tasks.Count} task(s).{hint} Details: mlrb tasks show <name>."));
    }

    /// <summary>A Spectre console that writes plain text to <paramref name="output"/>, wide enough not to wrap names.</summary>
    private static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var toTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = toTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = toTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!toTerminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
