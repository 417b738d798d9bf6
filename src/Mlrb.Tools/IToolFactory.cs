namespace Mlrb.Tools;

/// <summary>Creates the full Mlrb tool set for one run's workspace. Registered by <c>AddMlrbTools</c>.</summary>
public interface IToolFactory
{
    /// <summary>Creates every tool, bound to <paramref name="context"/>.</summary>
    /// <param name="context">The run's workspace, deadline and clock.</param>
    /// <returns>The tools, in a stable order.</returns>
    IReadOnlyList<ITool> CreateTools(ToolContext context);
}
