using Microsoft.Extensions.AI;
using Mlrb.Tasks.Runs;

namespace Mlrb.Agents.Runs;

/// <summary>
/// Wraps each tool a run gives its workers: a <see cref="SandboxFailureException"/> is counted in the
/// <see cref="RunContext"/> (which aborts the run after too many in a row) and passed on, so the worker sees the error.
/// </summary>
internal sealed class ObservedTool(AIFunction inner, RunContext run, int sandboxFailureLimit) : DelegatingAIFunction(inner)
{
    /// <summary>Wraps every <see cref="AIFunction"/> of <paramref name="tools"/>; declarations pass through.</summary>
    /// <param name="tools">The tools.</param>
    /// <param name="run">The run.</param>
    /// <param name="sandboxFailureLimit">Consecutive sandbox failures that end the run.</param>
    /// <returns>The wrapped tools.</returns>
    public static IReadOnlyList<AITool> Wrap(IReadOnlyList<AITool> tools, RunContext run, int sandboxFailureLimit)
        => [.. tools.Select(t => t is AIFunction f ? new ObservedTool(f, run, sandboxFailureLimit) : t)];

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        try
        {
            var result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
            run.RecordToolInfrastructureOk();
            return result;
        }
        catch (SandboxFailureException ex)
        {
            run.RecordSandboxFailure(Name, ex, sandboxFailureLimit);
            throw;
        }
    }
}
