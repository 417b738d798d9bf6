using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mlrb.Tools.Mcp;

/// <summary>
/// Serves one <see cref="ITool"/> over MCP: the same name, description and input schema; a call's result is the
/// capped model text as a text block, with <c>isError</c> set when the tool failed or timed out, and the typed
/// submission of <c>return_fn</c> as structured content.
/// </summary>
/// <param name="tool">The tool.</param>
internal sealed class McpToolAdapter(ITool tool) : McpServerTool
{
    private readonly Tool _protocolTool = new()
    {
        Name = tool.Name,
        Description = tool.Description,
        InputSchema = tool.JsonSchema,
    };

    /// <inheritdoc />
    public override Tool ProtocolTool => _protocolTool;

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = request.Params?.Arguments is { } args
            ? JsonSerializer.SerializeToElement(args)
            : JsonSerializer.SerializeToElement(new Dictionary<string, object>());
        var result = await tool.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = result.ToModelText() }],
            IsError = result.IsSuccess ? null : true,
            StructuredContent = result.Submission is { } submission ? JsonSerializer.SerializeToElement(submission, JsonSerializerOptions.Web) : null,
        };
    }
}
