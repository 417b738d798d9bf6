using System.Diagnostics.CodeAnalysis;
using Mlrb.Tasks.Catalog.Builtin;
using Mlrb.Tasks.Loading;

namespace Mlrb.Tasks;

/// <summary>
/// The task catalog: the paper's seven tasks and six mini variants, plus any tasks loaded from YAML or JSON files.
/// Immutable and thread-safe.
/// </summary>
public sealed class TaskCatalog : ITaskCatalog
{
    private static readonly Lazy<TaskCatalog> BuiltinCatalog = new(() => new TaskCatalog(BuiltinTasks.All));

    private readonly Dictionary<string, ResearchTask> _byName;

    /// <summary>Creates a catalog of <paramref name="tasks"/>.</summary>
    /// <param name="tasks">The tasks, in the order to list them.</param>
    /// <exception cref="ArgumentException">Two tasks share a name.</exception>
    public TaskCatalog(IEnumerable<ResearchTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        Tasks = [.. tasks];
        _byName = new Dictionary<string, ResearchTask>(StringComparer.OrdinalIgnoreCase);
        foreach (var task in Tasks)
        {
            if (!_byName.TryAdd(task.Name, task))
            {
                throw new ArgumentException($"Two tasks are named '{task.Name}'; task names must be unique.", nameof(tasks));
            }
        }
    }

    /// <summary>The built-in catalog: the 7 full tasks and the 6 mini variants.</summary>
    public static TaskCatalog Builtin => BuiltinCatalog.Value;

    /// <inheritdoc />
    public IReadOnlyList<ResearchTask> Tasks { get; }

    /// <summary>
    /// The built-in tasks plus every <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> task file in <paramref name="taskDirectories"/>.
    /// </summary>
    /// <param name="taskDirectories">Folders to read (not recursively).</param>
    /// <returns>The combined catalog.</returns>
    /// <exception cref="TaskFileException">A file is malformed, or a task reuses the name of another task (the message names the file).</exception>
    public static TaskCatalog WithTaskDirectories(IEnumerable<string> taskDirectories)
    {
        ArgumentNullException.ThrowIfNull(taskDirectories);
        var extra = new List<ResearchTask>();
        var origin = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (task, path) in taskDirectories.SelectMany(TaskFile.LoadDirectoryWithPaths))
        {
            if (Builtin.TryGet(task.Name, out _))
            {
                throw new TaskFileException(path, 1, 1, "name", $"'{task.Name}' is a built-in task; give your task another name.");
            }

            if (!origin.TryAdd(task.Name, path))
            {
                throw new TaskFileException(path, 1, 1, "name", $"task '{task.Name}' is already defined in {origin[task.Name]}.");
            }

            extra.Add(task);
        }

        return extra.Count == 0 ? Builtin : new TaskCatalog(Builtin.Tasks.Concat(extra));
    }

    /// <inheritdoc />
    public IReadOnlyList<ResearchTask> List(BenchmarkSuite suite) => [.. Tasks.Where(t => t.Suite == suite)];

    /// <inheritdoc />
    public ResearchTask GetTask(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out var task) ? task : throw new UnknownTaskException(name, [.. Tasks.Select(t => t.Name)]);
    }

    /// <inheritdoc />
    public bool TryGet(string name, [NotNullWhen(true)] out ResearchTask? task)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name.Trim(), out task);
    }
}
