namespace Mlrb.Agents.Budgets;

/// <summary>Thrown when a model call is refused because a run's budget is spent.</summary>
internal sealed class BudgetExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Which budget, in words.</param>
    public BudgetExhaustedException(string reason)
        : base("Budget exhausted: " + reason) => Reason = reason;

    /// <summary>Creates the exception with a default message.</summary>
    public BudgetExhaustedException()
        : this("budget spent")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Which budget.</param>
    /// <param name="inner">The cause.</param>
    public BudgetExhaustedException(string reason, Exception inner)
        : base("Budget exhausted: " + reason, inner) => Reason = reason;

    /// <summary>Which budget was spent, in words.</summary>
    public string Reason { get; } = "budget spent";
}
