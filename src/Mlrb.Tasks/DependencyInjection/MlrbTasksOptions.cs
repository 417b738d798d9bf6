namespace Mlrb.Tasks;

/// <summary>Settings of <c>AddMlrbTasks</c>: where user tasks, run folders and the run database live.</summary>
public sealed class MlrbTasksOptions
{
    /// <summary>Folders whose <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> task files join the built-in catalog.</summary>
    /// <value>The default value is empty (built-in tasks only).</value>
    public IList<string> TaskDirectories { get; } = [];

    /// <summary>Folder that holds one sub-folder per run.</summary>
    /// <value>The default value is <c>runs</c> (relative to the current directory).</value>
    public string WorkspaceRoot { get; set; } = "runs";

    /// <summary>File name of each run's scratchpad.</summary>
    /// <value>The default value is <c>scratchpad.txt</c>.</value>
    public string ScratchpadFileName { get; set; } = "scratchpad.txt";

    /// <summary>The SQLite run database (created with its folder when missing).</summary>
    /// <value>The default value is <c>runs/mlrb.db</c>.</value>
    public string DatabasePath { get; set; } = Path.Combine("runs", "mlrb.db");
}
