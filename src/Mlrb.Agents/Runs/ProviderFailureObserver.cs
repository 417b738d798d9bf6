using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;

namespace Mlrb.Agents.Runs;

/// <summary>
/// The outermost layer of a run's chat pipeline: notes in the <see cref="RunContext"/> the exception a model call ends
/// with (after the retries below it), so the run can tell a provider failure from anything else.
/// </summary>
internal sealed class ProviderFailureObserver(IChatClient inner, RunContext run) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or BudgetExhaustedException))
        {
            run.RecordProviderFailure(ex);
            throw;
        }
    }
}
