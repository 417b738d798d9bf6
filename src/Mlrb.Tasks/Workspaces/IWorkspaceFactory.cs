namespace Mlrb.Tasks;

/// <summary>Creates a fresh folder for each run.</summary>
public interface IWorkspaceFactory
{
    /// <summary>
    /// Creates the run folder for <paramref name="task"/> with a new unique run id (or <paramref name="runId"/>),
    /// writes the scratchpad and the task's starter files.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="runId">A run id to use instead of a generated one; letters, digits, '-', '_' and '.' only.</param>
    /// <param name="cancellationToken">Cancels the file writes.</param>
    /// <returns>The prepared workspace.</returns>
    /// <exception cref="InvalidOperationException">The run id is taken, or the task names an unknown starter kit.</exception>
    /// <exception cref="ArgumentException">The run id has characters that are not allowed.</exception>
    Task<Workspace> CreateAsync(ResearchTask task, string? runId = null, CancellationToken cancellationToken = default);
}
