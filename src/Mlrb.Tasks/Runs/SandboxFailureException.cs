namespace Mlrb.Tasks.Runs;

/// <summary>
/// Thrown by a tool when the tool infrastructure itself fails (the process sandbox cannot start a process, the workspace
/// cannot be written), as opposed to the agent's bad input or failing code, which tools report as failed results.
/// Agents count these failures: a run that keeps hitting them ends as <see cref="RunOutcome.SandboxError"/>.
/// </summary>
public sealed class SandboxFailureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SandboxFailureException()
        : base("The tool sandbox failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public SandboxFailureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="inner">The cause.</param>
    public SandboxFailureException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
