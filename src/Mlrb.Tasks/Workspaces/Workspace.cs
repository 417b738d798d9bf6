namespace Mlrb.Tasks;

/// <summary>A prepared run folder: where the agent works, with its scratchpad and the task's starter files.</summary>
public sealed record Workspace
{
    /// <summary>The unique run id, also the folder's name.</summary>
    public required string RunId { get; init; }

    /// <summary>The task the workspace was prepared for.</summary>
    public required string TaskName { get; init; }

    /// <summary>Absolute path of the run folder (the agent's working directory).</summary>
    public required string RootPath { get; init; }

    /// <summary>Absolute path of the scratchpad file.</summary>
    public required string ScratchpadPath { get; init; }

    /// <summary>Absolute path of the task's example output file (the JSON shape of the expected submission); null when none was written.</summary>
    public string? ExampleOutputPath { get; init; }

    /// <summary>Starter files written for the task, relative to <see cref="RootPath"/> and '/'-separated.</summary>
    public IReadOnlyList<string> StarterFiles { get; init; } = [];

    /// <summary>A prompt context for this workspace (working directory set, everything else default).</summary>
    /// <returns>The context.</returns>
    public PromptContext ToPromptContext() => new()
    {
        WorkingDirectory = RootPath,
        ScratchpadFileName = Path.GetFileName(ScratchpadPath),
        ExampleOutputFileName = ExampleOutputPath is null ? null : Path.GetRelativePath(RootPath, ExampleOutputPath),
    };
}
