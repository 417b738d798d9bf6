using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Agents.Runs;

/// <summary>
/// Wraps each tool a run gives its workers: a <see cref="SandboxFailureException"/> is counted in the
/// <see cref="RunContext"/> (which aborts the run after too many in a row) and passed on, so the worker sees the error.
/// Both ways of calling a tool are observed: <see cref="AIFunction.InvokeAsync"/> and <see cref="IToolOutcomeSource"/>.
/// </summary>
internal sealed class ObservedTool(AIFunction inner, RunContext run, int sandboxFailureLimit) : DelegatingAIFunction(inner), IToolOutcomeSource
{
    /// <summary>Wraps every <see cref="AIFunction"/> of <paramref name="tools"/>; declarations pass through.</summary>
    /// <param name="tools">The tools.</param>
    /// <param name="run">The run.</param>
    /// <param name="sandboxFailureLimit">Consecutive sandbox failures that end the run.</param>
    /// <returns>The wrapped tools.</returns>
    public static IReadOnlyList<AITool> Wrap(IReadOnlyList<AITool> tools, RunContext run, int sandboxFailureLimit)
        => [.. tools.Select(t => t is AIFunction f ? new ObservedTool(f, run, sandboxFailureLimit) : t)];

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IToolOutcomeSource))
        {
            // This wrapper offers a typed outcome only when the tool it wraps does.
            return InnerFunction.GetService(serviceType) is IToolOutcomeSource ? this : null;
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public Task<ToolOutcome> InvokeForOutcomeAsync(JsonElement arguments, CancellationToken cancellationToken = default)
        => ObserveAsync(() => InnerFunction.GetService<IToolOutcomeSource>()!.InvokeForOutcomeAsync(arguments, cancellationToken));

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        => await ObserveAsync(async () => await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    private async Task<T> ObserveAsync<T>(Func<Task<T>> call)
    {
        try
        {
            var result = await call().ConfigureAwait(false);
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
