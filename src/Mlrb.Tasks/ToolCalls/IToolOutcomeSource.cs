using System.Text.Json;

namespace Mlrb.Tasks.ToolCalls;

/// <summary>
/// A tool that reports each call's <see cref="ToolOutcome"/>. The Mlrb tools' <c>AIFunction</c>s return this through
/// <c>AIFunction.GetService(typeof(IToolOutcomeSource))</c>, so an agent learns how a call ended from a typed status
/// while other hosts keep invoking the plain function and reading its text.
/// </summary>
public interface IToolOutcomeSource
{
    /// <summary>Validates <paramref name="arguments"/> against the tool's schema and runs the tool.</summary>
    /// <param name="arguments">The arguments object the model sent.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome; bad input and failed work are failed outcomes, not exceptions.</returns>
    Task<ToolOutcome> InvokeForOutcomeAsync(JsonElement arguments, CancellationToken cancellationToken = default);
}
