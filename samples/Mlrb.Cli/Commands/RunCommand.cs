using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb run</c> verb.</summary>
internal static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("run", "Run an agent on a task.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb run: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
