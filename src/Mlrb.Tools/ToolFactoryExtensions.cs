using Microsoft.Extensions.AI;

namespace Mlrb.Tools;

/// <summary>Helpers for agents that want the tools as <see cref="AIFunction"/>s.</summary>
public static class ToolFactoryExtensions
{
    /// <summary>
    /// Creates every tool for <paramref name="context"/> as an <see cref="AIFunction"/> (snake_case names, JSON schemas).
    /// Invoking one returns the capped text for the model (a string), except a successful <c>return_fn</c>, which returns
    /// its <see cref="Mlrb.Tasks.Runs.Submission"/>. Invocation never throws for bad arguments or failed work.
    /// </summary>
    /// <param name="factory">The tool factory.</param>
    /// <param name="context">The run's workspace and deadline.</param>
    /// <returns>The functions, in the factory's order.</returns>
    public static IReadOnlyList<AIFunction> CreateAIFunctions(this IToolFactory factory, ToolContext context)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return [.. factory.CreateTools(context).Select(t => t.AsAIFunction())];
    }
}
