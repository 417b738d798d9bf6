using System.CommandLine;
using Mlrb.Cli.Commands.Tasks;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb tasks</c> verb: <c>list</c> and <c>show</c>.</summary>
internal static class TasksCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("tasks", "The task catalog: the paper's 7 tasks, the 6 mini variants and your own task files.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        return command;
    }

    private static Option<string[]> TasksDirOption() => new("--tasks-dir")
    {
        Description = "A folder of task files (*.yaml, *.yml, *.json) to add to the catalog; repeatable.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static Option<bool> JsonOption() => new("--json") { Description = "Write JSON (the task-file schema) to stdout." };

    private static Command CreateList()
    {
        var benchmark = new Option<string>("--benchmark")
        {
            Description = "Which tasks to list: full (the paper's 7), mini (the 8-hour variants) or all.",
            DefaultValueFactory = _ => "full",
        };
        benchmark.AcceptOnlyFromAmong("full", "mini", "all");
        var json = JsonOption();
        var tasksDir = TasksDirOption();
        var list = new Command("list", "List the tasks: name, full name, time limit and benchmark.") { benchmark, json, tasksDir };
        list.SetAction(parse => TaskCommandActions.List(
            parse,
            parse.GetValue(benchmark)!,
            parse.GetValue(json),
            parse.GetValue(tasksDir) ?? []));
        return list;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("task") { Description = "Task name, e.g. baby_lm (see mlrb tasks list)." };
        var workdir = new Option<string?>("--workdir") { Description = "Working directory to render into the prompt (default: the current directory)." };
        var json = JsonOption();
        var tasksDir = TasksDirOption();
        var show = new Command("show", "Show every field of a task and its rendered task prompt.") { name, workdir, json, tasksDir };
        show.SetAction(parse => TaskCommandActions.Show(
            parse,
            parse.GetValue(name)!,
            parse.GetValue(workdir),
            parse.GetValue(json),
            parse.GetValue(tasksDir) ?? []));
        return show;
    }
}
