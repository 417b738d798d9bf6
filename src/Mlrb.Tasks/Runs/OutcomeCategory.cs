namespace Mlrb.Tasks.Runs;

/// <summary>Whose failure an outcome is: keeps a bad agent apart from a bad day.</summary>
public enum OutcomeCategory
{
    /// <summary>The run was scored.</summary>
    Scored,

    /// <summary>The agent's own failure: no submission, budget spent, invalid submission, agent error.</summary>
    AgentFailure,

    /// <summary>Infrastructure failed: the model provider, the sandbox or the evaluator.</summary>
    InfrastructureFailure,
}
