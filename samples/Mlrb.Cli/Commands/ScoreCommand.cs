using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb score</c> verb.</summary>
internal static class ScoreCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("score", "Score one log-likelihood request.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb score: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
