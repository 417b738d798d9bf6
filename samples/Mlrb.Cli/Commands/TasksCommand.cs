using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb tasks</c> verb.</summary>
internal static class TasksCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("tasks", "The task catalog.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb tasks: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
