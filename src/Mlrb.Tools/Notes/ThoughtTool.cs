using Mlrb.Tools.Core;

namespace Mlrb.Tools.Notes;

/// <summary><c>thought</c>: records a thought; nothing runs.</summary>
internal sealed class ThoughtTool(ToolRuntime runtime) : ToolBase(
    "thought",
    "Record your thoughts: reasoning, a plan, a hypothesis. Nothing is executed.",
    new ToolSchema(new ToolParameter("thought", ParameterKind.String, "The thought.", true) { NonEmpty = true }))
{
    /// <inheritdoc />
    protected override Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken) =>
        Task.FromResult(Ok(runtime.Cap(arguments.RequiredString("thought"))));
}
