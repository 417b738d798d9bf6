using Mlrb.Tools.Core;

namespace Mlrb.Tools.Code;

/// <summary><c>replace_code</c>: replaces an existing snippet; fails when it is absent or ambiguous.</summary>
internal sealed class ReplaceCodeTool(ToolRuntime runtime) : ToolBase(
    "replace_code",
    "Replace an existing code snippet in a file with new code. Fails when old_code is absent, or occurs more than once unless all_occurrences is true.",
    new ToolSchema(
        new ToolParameter("path", ParameterKind.String, "Path of the existing file, relative to the working directory.", true) { NonEmpty = true },
        new ToolParameter("old_code", ParameterKind.String, "The exact code to replace.", true) { NonEmpty = true },
        new ToolParameter("new_code", ParameterKind.String, "The code to put in its place.", true),
        new ToolParameter("all_occurrences", ParameterKind.Boolean, "Replace every occurrence instead of failing when there are several (default false).", false)))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredString("path");
        if (!CodeFile.TryRead(runtime, path, out var full, out var text, out var error))
        {
            return Fail($"{Name}: {error}");
        }

        var oldCode = arguments.RequiredString("old_code");
        var found = CodeFile.Occurrences(text, oldCode);
        if (CodeFile.CheckCount(found, text, path, "old_code", arguments.Boolean("all_occurrences")) is { } problem)
        {
            return Fail($"{Name}: {problem}");
        }

        var updated = text.Replace(oldCode, arguments.RequiredString("new_code"), StringComparison.Ordinal);
        await CodeFile.WriteAsync(runtime, full, updated, cancellationToken).ConfigureAwait(false);
        return Ok($"Replaced {CodeFile.Occurrences(found.Count)} in {runtime.Guard.Relative(full)} (first at line {CodeFile.LineOf(text, found[0])}).");
    }
}
