using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb stats</c> verb.</summary>
internal static class StatsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("stats", "Model statistics.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb stats: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
