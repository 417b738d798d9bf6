using Mlrb.Tools.Core;

namespace Mlrb.Tools.Processes;

/// <summary><c>run_bash</c>: runs a bash script in the workspace, sandboxed and under a timeout.</summary>
internal sealed class RunBashTool(ToolRuntime runtime) : ProcessToolBase(
    runtime,
    "run_bash",
    "Run a bash script in the working directory. Doesn't support interactive commands (stdin is closed). Output is capped: long output keeps its head and tail, and the full log is saved in the working directory. Background processes are killed when the script ends.",
    new ToolParameter("script", ParameterKind.String, "The bash script to run.", true) { NonEmpty = true })
{
    /// <inheritdoc />
    protected override Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken) =>
        RunAsync(arguments, Runtime.Options.BashExecutable, ["-c", arguments.RequiredString("script")], cancellationToken);
}
