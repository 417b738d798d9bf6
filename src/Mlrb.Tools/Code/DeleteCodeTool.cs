using Mlrb.Tools.Core;

namespace Mlrb.Tools.Code;

/// <summary><c>delete_code</c>: deletes an existing snippet; fails when it is absent or ambiguous.</summary>
internal sealed class DeleteCodeTool(ToolRuntime runtime) : ToolBase(
    "delete_code",
    "Delete a code snippet from a file. Fails when the target is absent, or occurs more than once unless all_occurrences is true.",
    new ToolSchema(
        new ToolParameter("path", ParameterKind.String, "Path of the existing file, relative to the working directory.", true) { NonEmpty = true },
        new ToolParameter("target", ParameterKind.String, "The exact code to delete.", true) { NonEmpty = true },
        new ToolParameter("all_occurrences", ParameterKind.Boolean, "Delete every occurrence instead of failing when there are several (default false).", false)))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredString("path");
        if (!CodeFile.TryRead(runtime, path, out var full, out var text, out var error))
        {
            return Fail($"{Name}: {error}");
        }

        var target = arguments.RequiredString("target");
        var found = CodeFile.Occurrences(text, target);
        if (CodeFile.CheckCount(found, text, path, "target", arguments.Boolean("all_occurrences")) is { } problem)
        {
            return Fail($"{Name}: {problem}");
        }

        await CodeFile.WriteAsync(runtime, full, text.Replace(target, "", StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        return Ok($"Deleted {CodeFile.Occurrences(found.Count)} from {runtime.Guard.Relative(full)} (first at line {CodeFile.LineOf(text, found[0])}).");
    }
}
