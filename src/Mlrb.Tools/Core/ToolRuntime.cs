using Microsoft.Extensions.Logging;
using Mlrb.Tasks.ToolCalls;
using Mlrb.Tools.Workspace;

namespace Mlrb.Tools.Core;

/// <summary>What the tools of one run share: the context, its workspace guard, the options and a logger.</summary>
/// <param name="context">The run's context.</param>
/// <param name="options">Validated options.</param>
/// <param name="logger">Where tools log.</param>
internal sealed class ToolRuntime(ToolContext context, MlrbToolsOptions options, ILogger logger)
{
    /// <summary>The run's context.</summary>
    public ToolContext Context { get; } = context;

    /// <summary>Confines paths to the workspace.</summary>
    public WorkspaceGuard Guard { get; } = new(context.WorkspacePath);

    /// <summary>Race-free reads and writes beneath the workspace.</summary>
    public WorkspaceFiles Files => _files ??= new WorkspaceFiles(Guard);

    private WorkspaceFiles? _files;

    /// <summary>The options.</summary>
    public MlrbToolsOptions Options { get; } = options;

    /// <summary>The logger.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>Caps text returned to the model by a non-process tool.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The capped text.</returns>
    public string Cap(string text) => ToolOutputCap.Cap(text, Options.MaxModelTextChars);
}
