using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mlrb.Tools.Code;
using Mlrb.Tools.Core;
using Mlrb.Tools.Evaluation;
using Mlrb.Tools.Notes;
using Mlrb.Tools.Processes;
using Mlrb.Tools.Submissions;

namespace Mlrb.Tools.DependencyInjection;

/// <summary>
/// Creates the 17 Mlrb tools for one workspace, in the order the reference lists them, and <c>evaluate</c> after
/// <c>return_fn</c> when the host registered an <see cref="ISelfEvaluator"/>.
/// </summary>
/// <param name="options">Validated options.</param>
/// <param name="research">Creates the HTTP-backed research tools.</param>
/// <param name="loggerFactory">Logging; optional.</param>
/// <param name="selfEvaluator">Scores models for <c>evaluate</c>; without one the tool is not offered.</param>
internal sealed class ToolFactory(IOptions<MlrbToolsOptions> options, ResearchToolSet research, ILoggerFactory? loggerFactory = null, ISelfEvaluator? selfEvaluator = null) : IToolFactory
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
        if (selfEvaluator is not null)
        {
            tools.Insert(tools.FindIndex(t => t.Name == "return_fn") + 1, new EvaluateTool(runtime, selfEvaluator));
        }

        tools.AddRange(research.Create(runtime));
        return tools;
    }
}
