using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb eval</c> verb.</summary>
internal static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("eval", "Score a model the way a task is scored.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb eval: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
