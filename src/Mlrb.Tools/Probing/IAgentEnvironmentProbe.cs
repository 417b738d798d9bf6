using Mlrb.Tasks.Provenance;

namespace Mlrb.Tools.Probing;

/// <summary>
/// Finds out what the agent's environment really offers, through the same process sandbox the tools use: which Python
/// packages import and whether a GPU is visible, and how tool processes are isolated. Registered by <c>AddMlrbTools</c>.
/// </summary>
public interface IAgentEnvironmentProbe
{
    /// <summary>Runs the configured Python (<see cref="MlrbToolsOptions.PythonExecutable"/>) in the workspace's sandbox and reports what imports.</summary>
    /// <param name="context">The run's tool context (workspace, deadline).</param>
    /// <param name="packages">Import names to try, e.g. <c>numpy</c>, <c>torch</c>.</param>
    /// <param name="cancellationToken">Kills the probe.</param>
    /// <returns>The result; <see cref="PythonEnvironment.Error"/> says why when the interpreter is missing, times out or fails.</returns>
    Task<PythonEnvironment> ProbePythonAsync(ToolContext context, IEnumerable<string> packages, CancellationToken cancellationToken = default);

    /// <summary>How tool processes are isolated with the current options: <c>bubblewrap</c>, or <c>none (...)</c> with the reason.</summary>
    /// <returns>A short description.</returns>
    string DescribeSandbox();
}
