using System.Diagnostics.CodeAnalysis;

namespace Mlrb.Tasks;

/// <summary>A set of research tasks, looked up by name.</summary>
public interface ITaskCatalog
{
    /// <summary>All tasks, in catalog order (built-in full tasks, built-in mini tasks, then user tasks).</summary>
    IReadOnlyList<ResearchTask> Tasks { get; }

    /// <summary>The tasks of one suite, in catalog order.</summary>
    /// <param name="suite">The suite to keep.</param>
    /// <returns>The matching tasks.</returns>
    IReadOnlyList<ResearchTask> List(BenchmarkSuite suite);

    /// <summary>Returns the task with this name (case-insensitive).</summary>
    /// <param name="name">Task name, e.g. <c>baby_lm</c>.</param>
    /// <returns>The task.</returns>
    /// <exception cref="UnknownTaskException">No task has this name; the message lists the known names.</exception>
    ResearchTask GetTask(string name);

    /// <summary>Looks a task up by name (case-insensitive).</summary>
    /// <param name="name">Task name.</param>
    /// <param name="task">The task when found.</param>
    /// <returns>Whether the task exists.</returns>
    bool TryGet(string name, [NotNullWhen(true)] out ResearchTask? task);
}
