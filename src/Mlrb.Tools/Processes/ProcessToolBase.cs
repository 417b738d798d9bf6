using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Processes;

/// <summary>Shared behaviour of <c>run_python</c> and <c>run_bash</c>: the timeout argument and the result mapping.</summary>
internal abstract class ProcessToolBase : ToolBase
{
    /// <summary>The argument that asks for a timeout.</summary>
    protected const string TimeoutArgument = "timeout_seconds";

    /// <summary>Creates the tool.</summary>
    /// <param name="runtime">The run's tool runtime.</param>
    /// <param name="name">The tool's name.</param>
    /// <param name="description">What it does.</param>
    /// <param name="parameters">Its own parameters (the timeout is added).</param>
    protected ProcessToolBase(ToolRuntime runtime, string name, string description, params ToolParameter[] parameters)
        : base(name, description, new ToolSchema([.. parameters, TimeoutParameter(runtime.Options)]))
    {
        Runtime = runtime;
        Sandbox = new ProcessSandbox(runtime);
    }

    /// <summary>The run's tool runtime.</summary>
    protected ToolRuntime Runtime { get; }

    /// <summary>Runs children.</summary>
    protected ProcessSandbox Sandbox { get; }

    /// <summary>Runs the request and maps the outcome to a result.</summary>
    /// <param name="arguments">The validated arguments (for the timeout).</param>
    /// <param name="executable">Program to start.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="cancellationToken">Kills the child when cancelled.</param>
    /// <returns>The result.</returns>
    protected async Task<ToolResult> RunAsync(ToolArguments arguments, string executable, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        TimeSpan? requested = arguments.Integer(TimeoutArgument) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        var outcome = await Sandbox.RunAsync(new ProcessRequest(Name, executable, args, requested), cancellationToken).ConfigureAwait(false);
        if (outcome.StartError is { } error)
        {
            // A start error that is not the budget's end means the sandbox itself failed: not the agent's doing.
            return new ToolResult { Tool = Name, Status = outcome.TimedOut ? ToolStatus.TimedOut : ToolStatus.Failure, Stderr = $"{Name}: {error}", InfrastructureFailure = !outcome.TimedOut };
        }

        return new ToolResult
        {
            Tool = Name,
            Status = outcome.TimedOut ? ToolStatus.TimedOut : outcome.ExitCode == 0 ? ToolStatus.Success : ToolStatus.Failure,
            Stdout = outcome.Stdout,
            Stderr = outcome.Stderr,
            ExitCode = outcome.ExitCode,
            Truncated = outcome.Truncated,
            LogPath = outcome.LogPath,
        };
    }

    private static ToolParameter TimeoutParameter(MlrbToolsOptions options) => new(
        TimeoutArgument,
        ParameterKind.Integer,
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"Seconds before the process and everything it started are killed (default {options.DefaultProcessTimeout.TotalSeconds:0}, at most {options.MaxProcessTimeout.TotalSeconds:0}, and never beyond the run's remaining time)."),
        false)
    {
        Minimum = 1,
        Maximum = (long)Math.Ceiling(options.MaxProcessTimeout.TotalSeconds),
    };
}
