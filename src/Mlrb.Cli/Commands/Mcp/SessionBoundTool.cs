using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Tools;

namespace Mlrb.Cli.Commands.Mcp;

/// <summary>
/// A tool whose calls are also cancelled when the MCP session ends (the client disconnected, stdin closed, or the server
/// is stopping), so a running process is killed at once instead of running on to its timeout.
/// </summary>
/// <param name="inner">The tool.</param>
/// <param name="sessionEnded">Fires when the session ends.</param>
internal sealed class SessionBoundTool(ITool inner, CancellationToken sessionEnded) : ITool
{
    /// <inheritdoc />
    public string Name => inner.Name;

    /// <inheritdoc />
    public string Description => inner.Description;

    /// <inheritdoc />
    public JsonElement JsonSchema => inner.JsonSchema;

    /// <inheritdoc />
    public async Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sessionEnded);
        return await inner.InvokeAsync(arguments, linked.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public AIFunction AsAIFunction() => inner.AsAIFunction();
}
