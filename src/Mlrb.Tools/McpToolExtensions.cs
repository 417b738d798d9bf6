using ModelContextProtocol.Server;
using Mlrb.Tools.Mcp;

namespace Mlrb.Tools;

/// <summary>Exposes Mlrb tools to MCP servers (ModelContextProtocol).</summary>
public static class McpToolExtensions
{
    /// <summary>
    /// Wraps <paramref name="tool"/> as an MCP server tool with the same name, description and input schema. A call
    /// answers with the capped model text; <c>isError</c> is set when the tool failed or timed out.
    /// </summary>
    /// <param name="tool">The tool.</param>
    /// <returns>The MCP tool, for <c>McpServerOptions.ToolCollection</c> or <c>WithTools(...)</c>.</returns>
    public static McpServerTool ToMcpServerTool(this ITool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return new McpToolAdapter(tool);
    }
}
