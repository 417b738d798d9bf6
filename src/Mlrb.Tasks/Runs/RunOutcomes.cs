using System.Diagnostics.CodeAnalysis;

namespace Mlrb.Tasks.Runs;

/// <summary>Names and categories of <see cref="RunOutcome"/> values.</summary>
public static class RunOutcomes
{
    /// <summary>Every outcome, in the order tables list them.</summary>
    public static IReadOnlyList<RunOutcome> All { get; } = Enum.GetValues<RunOutcome>();

    /// <summary>The snake_case name, e.g. <c>no_submission</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The name.</returns>
    public static string ToName(this RunOutcome outcome) => outcome switch
    {
        RunOutcome.Scored => "scored",
        RunOutcome.NoSubmission => "no_submission",
        RunOutcome.BudgetExhausted => "budget_exhausted",
        RunOutcome.InvalidSubmission => "invalid_submission",
        RunOutcome.AgentError => "agent_error",
        RunOutcome.ProviderError => "provider_error",
        RunOutcome.SandboxError => "sandbox_error",
        RunOutcome.EvaluationError => "evaluation_error",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
    };

    /// <summary>Parses a snake_case name (or the enum member's name).</summary>
    /// <param name="name">The name.</param>
    /// <param name="outcome">The outcome, when known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out RunOutcome? outcome)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(name, candidate.ToName(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = null;
        return false;
    }

    /// <summary>Whose failure the outcome is.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The category.</returns>
    public static OutcomeCategory Category(this RunOutcome outcome) => outcome switch
    {
        RunOutcome.Scored => OutcomeCategory.Scored,
        RunOutcome.ProviderError or RunOutcome.SandboxError or RunOutcome.EvaluationError => OutcomeCategory.InfrastructureFailure,
        _ => OutcomeCategory.AgentFailure,
    };

    /// <summary>Whether the outcome is an infrastructure failure (provider, sandbox or evaluator).</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>True for infrastructure failures.</returns>
    public static bool IsInfrastructureFailure(this RunOutcome outcome) => outcome.Category() == OutcomeCategory.InfrastructureFailure;
}
