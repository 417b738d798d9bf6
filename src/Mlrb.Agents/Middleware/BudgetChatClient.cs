using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;

namespace Mlrb.Agents.Middleware;

/// <summary>Refuses every call once the run's budget is spent, and cancels a call still running at the hard deadline.</summary>
internal sealed class BudgetChatClient : DelegatingChatClient
{
    private readonly RunBudget _budget;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The next client.</param>
    /// <param name="budget">The run's budget.</param>
    public BudgetChatClient(IChatClient inner, RunBudget budget)
        : base(inner) => _budget = budget;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_budget.HardStopReason() is { } reason)
        {
            throw new BudgetExhaustedException(reason);
        }

        using var deadline = _budget.CancelAt(_budget.HardDeadline, cancellationToken);
        try
        {
            return await base.GetResponseAsync(messages, options, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && _budget.HardStopReason() is { } late)
        {
            throw new BudgetExhaustedException(late, ex);
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_budget.HardStopReason() is { } reason)
        {
            throw new BudgetExhaustedException(reason);
        }

        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
