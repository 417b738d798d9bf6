namespace Mlrb.Tasks;

/// <summary>Where and how run folders are created.</summary>
public sealed class WorkspaceOptions
{
    /// <summary>Folder that holds one sub-folder per run. Relative paths resolve against the current directory.</summary>
    /// <value>The default value is <c>runs</c>.</value>
    public string RootDirectory { get; set; } = "runs";

    /// <summary>File name of the scratchpad created in each run folder.</summary>
    /// <value>The default value is <c>scratchpad.txt</c>.</value>
    public string ScratchpadFileName { get; set; } = "scratchpad.txt";

    /// <summary>
    /// File name of the task's example output written in each run folder: the JSON shape of the expected submission
    /// (the arguments of <c>return_fn</c>), which the task prompt names.
    /// </summary>
    /// <value>The default value is <c>example_output.json</c>.</value>
    public string ExampleOutputFileName { get; set; } = "example_output.json";
}
