using Mlrb.Tools.Core;

namespace Mlrb.Tools.Code;

/// <summary>
/// <c>insert_code</c>: inserts new code <em>after</em> a target snippet (the reference documented "after" but inserted before).
/// When the target ends a line, the new code goes on the following line(s).
/// </summary>
internal sealed class InsertCodeTool(ToolRuntime runtime) : ToolBase(
    "insert_code",
    "Insert new code into an existing file right after a target snippet. When the target ends a line, the new code is inserted as the next line(s). Fails when the target is absent, or occurs more than once unless all_occurrences is true.",
    new ToolSchema(
        new ToolParameter("path", ParameterKind.String, "Path of the existing file, relative to the working directory.", true) { NonEmpty = true },
        new ToolParameter("target", ParameterKind.String, "The existing code snippet after which you want to insert the new code.", true) { NonEmpty = true },
        new ToolParameter("new_code", ParameterKind.String, "The code to insert.", true),
        new ToolParameter("all_occurrences", ParameterKind.Boolean, "Insert after every occurrence of the target instead of failing when there are several (default false).", false)))
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
        var newCode = arguments.RequiredString("new_code");
        var found = CodeFile.Occurrences(text, target);
        if (CodeFile.CheckCount(found, text, path, "target", arguments.Boolean("all_occurrences")) is { } problem)
        {
            return Fail($"{Name}: {problem}");
        }

        var result = new System.Text.StringBuilder(text.Length + (found.Count * (newCode.Length + 1)));
        var copied = 0;
        foreach (var start in found)
        {
            var end = start + target.Length;
            string insertion;
            if (end < text.Length && text[end] == '\n' && !target.EndsWith('\n'))
            {
                end++;
                insertion = newCode.EndsWith('\n') ? newCode : newCode + "\n";
            }
            else if (end == text.Length && !target.EndsWith('\n') && !newCode.StartsWith('\n'))
            {
                insertion = "\n" + newCode;
            }
            else
            {
                insertion = newCode;
            }

            result.Append(text, copied, end - copied).Append(insertion);
            copied = end;
        }

        result.Append(text, copied, text.Length - copied);
        await CodeFile.WriteAsync(runtime, full, result.ToString(), cancellationToken).ConfigureAwait(false);
        return Ok($"Inserted the new code after {CodeFile.Occurrences(found.Count)} of the target in {runtime.Guard.Relative(full)} (line {CodeFile.LineOf(text, found[0])}).");
    }
}
