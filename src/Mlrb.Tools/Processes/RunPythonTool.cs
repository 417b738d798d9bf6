using System.Globalization;
using Mlrb.Tools.Code;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Processes;

/// <summary><c>run_python</c>: runs a Python file (or inline code saved to a file) in the workspace, sandboxed and under a timeout.</summary>
internal sealed class RunPythonTool(ToolRuntime runtime) : ProcessToolBase(
    runtime,
    "run_python",
    "Run a python file in the working directory (python -u). You must print the output. Give filepath, or code to run inline code (it is saved to a file first). Output is capped: long output keeps its head and tail, and the full log is saved in the working directory.",
    new ToolParameter("filepath", ParameterKind.String, "The path to a python file, relative to the working directory.", false) { NonEmpty = true },
    new ToolParameter("code", ParameterKind.String, "Python code to run instead of a file.", false) { NonEmpty = true })
{
    private static int s_snippets;

    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var filepath = arguments.String("filepath");
        var code = arguments.String("code");
        if ((filepath is null) == (code is null))
        {
            return Fail($"{Name}: give exactly one of 'filepath' (a python file in the working directory) or 'code' (inline python).");
        }

        string full;
        if (code is not null)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Interlocked.Increment(ref s_snippets):D4}.py");
            full = Path.Combine(Runtime.Guard.Root, Runtime.Options.LogFolder, "snippets", name);
            await CodeFile.WriteAsync(Runtime, full, code, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (!Runtime.Guard.TryResolve(filepath, out full, out var error))
            {
                return Fail($"{Name}: {error}");
            }

            if (!File.Exists(full))
            {
                return Fail($"{Name}: the file '{filepath}' does not exist in the working directory (write it first with write_code).");
            }
        }

        return await RunAsync(arguments, Runtime.Options.PythonExecutable, ["-u", full], cancellationToken).ConfigureAwait(false);
    }
}
