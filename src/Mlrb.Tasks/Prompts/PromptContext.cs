namespace Mlrb.Tasks;

/// <summary>What the prompts need to know about one run besides the task.</summary>
public sealed record PromptContext
{
    /// <summary>The tools of the reference agent that Mlrb keeps (get_paper_abstract, which never existed, is left out).</summary>
    public static IReadOnlyList<string> DefaultToolNames { get; } =
    [
        "run_python", "run_bash", "write_code", "insert_code", "replace_code", "delete_code", "scratchpad", "thought",
        "return_fn", "search_papers", "get_paper_details", "get_paper_citations", "download_paper",
        "github_get_readme", "github_list_files", "github_get_file_code",
    ];

    /// <summary>Python packages the default sandbox image has installed.</summary>
    public static IReadOnlyList<string> DefaultPreinstalledPackages { get; } =
        ["numpy", "pandas", "torch", "torchvision", "torchaudio", "datasets", "transformers"];

    /// <summary>Absolute path of the run's working directory.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The time budget when it differs from the task's <see cref="ResearchTask.TimeLimit"/>.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Names of the tools the agent is given.</summary>
    public IReadOnlyList<string> ToolNames { get; init; } = DefaultToolNames;

    /// <summary>Python packages installed before the run starts.</summary>
    public IReadOnlyList<string> PreinstalledPackages { get; init; } = DefaultPreinstalledPackages;

    /// <summary>File name of the scratchpad inside the working directory.</summary>
    public string ScratchpadFileName { get; init; } = "scratchpad.txt";

    /// <summary>
    /// The task's example output file (the JSON shape of the expected submission), relative to the working directory;
    /// the task prompt names it. Null when the workspace has none.
    /// </summary>
    public string? ExampleOutputFileName { get; init; }

    /// <summary>The time budget that applies: <see cref="TimeLimit"/> if set, else the task's.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The budget.</returns>
    public TimeSpan BudgetFor(ResearchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return TimeLimit ?? task.TimeLimit;
    }
}
