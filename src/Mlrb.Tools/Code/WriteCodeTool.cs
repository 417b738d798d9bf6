using Mlrb.Tools.Core;

namespace Mlrb.Tools.Code;

/// <summary><c>write_code</c>: writes a whole file (creating folders); answers with a short summary, not the code.</summary>
internal sealed class WriteCodeTool(ToolRuntime runtime) : ToolBase(
    "write_code",
    "Write code to a file in the working directory, replacing its content. Folders are created as needed.",
    new ToolSchema(
        new ToolParameter("path", ParameterKind.String, "Path of the file, relative to the working directory.", true) { NonEmpty = true },
        new ToolParameter("code", ParameterKind.String, "The complete content of the file.", true)))
{
    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredString("path");
        if (!runtime.Guard.TryResolve(path, out var full, out var error))
        {
            return Fail($"{Name}: {error}");
        }

        if (Directory.Exists(full))
        {
            return Fail($"{Name}: '{path}' is a folder, not a file.");
        }

        var code = arguments.RequiredString("code");
        await CodeFile.WriteAsync(runtime, full, code, cancellationToken).ConfigureAwait(false);
        var lines = code.Length == 0 ? 0 : code.AsSpan().Count('\n') + (code.EndsWith('\n') ? 0 : 1);
        return Ok($"Wrote {CodeFile.Utf8.GetByteCount(code)} bytes ({lines} lines) to {runtime.Guard.Relative(full)}.");
    }
}
