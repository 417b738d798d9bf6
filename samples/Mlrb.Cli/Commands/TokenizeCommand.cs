using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb tokenize</c> verb.</summary>
internal static class TokenizeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("tokenize", "Show token ids as a model's tokenizer gives them.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb tokenize: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
