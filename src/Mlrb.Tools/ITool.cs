using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mlrb.Tools;

/// <summary>
/// One agent tool (<c>run_python</c>, <c>write_code</c>, ...) bound to a run's workspace.
/// Invocation never throws for bad input or failed work: it returns a failed <see cref="ToolResult"/> the model can read.
/// </summary>
public interface ITool
{
    /// <summary>The tool's snake_case name, as the reference named it.</summary>
    string Name { get; }

    /// <summary>What the tool does, written for the model.</summary>
    string Description { get; }

    /// <summary>JSON schema of the arguments object.</summary>
    JsonElement JsonSchema { get; }

    /// <summary>Validates the arguments against the schema and runs the tool.</summary>
    /// <param name="arguments">The arguments object the model sent.</param>
    /// <param name="cancellationToken">Cancels the work; child processes are killed.</param>
    /// <returns>The typed result.</returns>
    Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken = default);

    /// <summary>This tool as an <see cref="AIFunction"/> for any <c>IChatClient</c> agent.</summary>
    /// <returns>A function with the same name, description and schema.</returns>
    AIFunction AsAIFunction();
}
