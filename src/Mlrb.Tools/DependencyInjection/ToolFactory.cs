using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mlrb.Tools.Code;
using Mlrb.Tools.Core;
using Mlrb.Tools.Notes;
using Mlrb.Tools.Processes;
using Mlrb.Tools.Submissions;

namespace Mlrb.Tools.DependencyInjection;

/// <summary>Creates the 17 Mlrb tools for one workspace, in the order the reference lists them.</summary>
/// <param name="options">Validated options.</param>
/// <param name="research">Creates the HTTP-backed research tools.</param>
/// <param name="loggerFactory">Logging; optional.</param>
internal sealed class ToolFactory(IOptions<MlrbToolsOptions> options, ResearchToolSet research, ILoggerFactory? loggerFactory = null) : IToolFactory
{
    /// <inheritdoc />
    public IReadOnlyList<ITool> CreateTools(ToolContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Mlrb.Tools");
        var runtime = new ToolRuntime(context, options.Value, logger);
        var tools = new List<ITool>
        {
            new RunPythonTool(runtime),
            new RunBashTool(runtime),
            new ReturnFnTool(runtime),
            new WriteCodeTool(runtime),
            new InsertCodeTool(runtime),
            new ReplaceCodeTool(runtime),
            new DeleteCodeTool(runtime),
            new ScratchpadTool(runtime),
            new ThoughtTool(runtime),
        };
        tools.AddRange(research.Create(runtime));
        foreach (var tool in tools.OfType<ToolBase>())
        {
            tool.ModelTextChars = options.Value.MaxModelTextChars;
        }

        return tools;
    }
}
