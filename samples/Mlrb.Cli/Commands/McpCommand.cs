using System.CommandLine;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb mcp</c> verb.</summary>
internal static class McpCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("mcp", "Serve the tools over MCP (stdio).");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("mlrb mcp: not available in this build yet.");
            return 2;
        });
        return command;
    }
}
