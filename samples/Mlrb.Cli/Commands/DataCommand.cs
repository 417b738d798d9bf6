using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb data</c> verb.</summary>
internal static class DataCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("data", "Download benchmark data.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb data: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
