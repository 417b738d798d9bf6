using Microsoft.Extensions.AI;

namespace Mlrb.Agents;

/// <summary>
/// Settings of the supervisor/worker agent: models, budgets and loop limits.
/// Validated by <c>AddMlrbAgents</c> at start-up (see <see cref="Validate"/>).
/// </summary>
public sealed class MlrbAgentsOptions
{
    /// <summary>The model the supervisor plans and reviews with. Independent of <see cref="Worker"/>.</summary>
    public ModelOptions Planner { get; set; } = new();

    /// <summary>The model the workers act with.</summary>
    public ModelOptions Worker { get; set; } = new();

    /// <summary>Wall-clock limit of a run. Default 24 hours (the benchmark's budget).</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Time kept back at the end of <see cref="TimeLimit"/> to ask for a final submission.
    /// The effective reserve is at most a tenth of the limit. Default 5 minutes.
    /// </summary>
    public TimeSpan FinalSubmissionReserve { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Optional cap on input plus output tokens over the whole run.</summary>
    public long? MaxTotalTokens { get; set; }

    /// <summary>Optional cap on cost in US dollars (needs a price for the models in <see cref="Prices"/>).</summary>
    public decimal? MaxCostUsd { get; set; }

    /// <summary>Prices by model id, used for the cost figure and <see cref="MaxCostUsd"/>.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many independent subtasks may run at once. Default 1.</summary>
    public int ParallelWorkers { get; set; } = 1;

    /// <summary>Most model turns a worker may take on one subtask. Default 40.</summary>
    public int MaxIterationsPerSubtask { get; set; } = 40;

    /// <summary>Consecutive failed tool calls after which a worker gives up on a subtask. Default 5.</summary>
    public int MaxConsecutiveToolErrors { get; set; } = 5;

    /// <summary>How often the supervisor may re-plan in one run. Default 3.</summary>
    public int MaxReplans { get; set; } = 3;

    /// <summary>How often one subtask may be retried after a review asks for it. Default 1.</summary>
    public int MaxSubtaskRetries { get; set; } = 1;

    /// <summary>Estimated tokens a worker's history may use before older actions are summarised. Default 100,000.</summary>
    public int ContextTokenBudget { get; set; } = 100_000;

    /// <summary>How many of the latest actions are always kept in full when the history is compacted. Default 10.</summary>
    public int KeepRecentActions { get; set; } = 10;

    /// <summary>Most characters of one tool result sent to the model (head and tail are kept). Default 16,000.</summary>
    public int MaxToolResultChars { get; set; } = 16_000;

    /// <summary>Retries of a failed model call (transient errors and 429). Default 4.</summary>
    public int MaxModelRetries { get; set; } = 4;

    /// <summary>Longest wait between retries, also the cap on a server's <c>Retry-After</c>. Default 2 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Sandbox failures in a row (a tool's process could not be started or confined) that end the run as a sandbox error. Default 3.</summary>
    public int MaxSandboxFailures { get; set; } = 3;

    /// <summary>Name of the tool that ends a run with a typed submission. Default <c>return_fn</c>.</summary>
    public string SubmissionToolName { get; set; } = "return_fn";

    /// <summary>
    /// The caller's own chat client for each role, or null to use the built-in provider <see cref="Planner"/> or
    /// <see cref="Worker"/> names. A function returning null for a role leaves that role on its built-in provider.
    /// Clients given here are borrowed: the agent never disposes them. Set with <see cref="UseChatClient(IChatClient)"/>.
    /// </summary>
    public Func<AgentRole, IChatClient?>? ChatClients { get; set; }

    /// <summary>Makes both roles talk to <paramref name="client"/> (any <see cref="IChatClient"/>: a mock, Ollama, Azure, a middleware pipeline).</summary>
    /// <param name="client">The client; the agent adds its own middleware (budget, usage, transcript, retries) around it and never disposes it.</param>
    /// <returns>These options.</returns>
    public MlrbAgentsOptions UseChatClient(IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        ChatClients = _ => client;
        return this;
    }

    /// <summary>Chooses the chat client of each role; a null answer keeps that role on its built-in provider.</summary>
    /// <param name="select">Gives the client of a role, e.g. <c>role =&gt; role == AgentRole.Planner ? hosted : local</c>.</param>
    /// <returns>These options.</returns>
    public MlrbAgentsOptions UseChatClient(Func<AgentRole, IChatClient?> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        ChatClients = select;
        return this;
    }

    /// <summary>Checks every setting and lists what is wrong.</summary>
    /// <returns>One message per invalid setting; empty when all are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TimeLimit <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(TimeLimit)} must be positive (was {TimeLimit}).");
        }

        if (FinalSubmissionReserve < TimeSpan.Zero)
        {
            errors.Add($"{nameof(FinalSubmissionReserve)} must not be negative (was {FinalSubmissionReserve}).");
        }

        if (MaxTotalTokens is <= 0)
        {
            errors.Add($"{nameof(MaxTotalTokens)} must be positive when set (was {MaxTotalTokens}).");
        }

        if (MaxCostUsd is <= 0)
        {
            errors.Add($"{nameof(MaxCostUsd)} must be positive when set (was {MaxCostUsd}).");
        }

        Check(errors, nameof(ParallelWorkers), ParallelWorkers, 1);
        Check(errors, nameof(MaxIterationsPerSubtask), MaxIterationsPerSubtask, 1);
        Check(errors, nameof(MaxConsecutiveToolErrors), MaxConsecutiveToolErrors, 1);
        Check(errors, nameof(MaxReplans), MaxReplans, 0);
        Check(errors, nameof(MaxSubtaskRetries), MaxSubtaskRetries, 0);
        Check(errors, nameof(ContextTokenBudget), ContextTokenBudget, 1_000);
        Check(errors, nameof(KeepRecentActions), KeepRecentActions, 1);
        Check(errors, nameof(MaxToolResultChars), MaxToolResultChars, 200);
        Check(errors, nameof(MaxModelRetries), MaxModelRetries, 0);
        Check(errors, nameof(MaxSandboxFailures), MaxSandboxFailures, 1);
        if (string.IsNullOrWhiteSpace(SubmissionToolName))
        {
            errors.Add($"{nameof(SubmissionToolName)} must not be empty.");
        }

        CheckModel(errors, nameof(Planner), Planner);
        CheckModel(errors, nameof(Worker), Worker);
        foreach (var (model, price) in Prices)
        {
            if (price is null || price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                errors.Add($"{nameof(Prices)}[{model}] must have non-negative input and output prices.");
            }
        }

        return errors;
    }

    private static void Check(List<string> errors, string name, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{name} must be at least {minimum} (was {value}).");
        }
    }

    private static void CheckModel(List<string> errors, string role, ModelOptions? model)
    {
        if (model is null)
        {
            errors.Add($"{role} must be set.");
            return;
        }

        if (!Enum.IsDefined(model.Provider))
        {
            errors.Add($"{role}.{nameof(ModelOptions.Provider)} is not a known provider ({model.Provider}).");
        }

        if (model.MaxOutputTokens < 1)
        {
            errors.Add($"{role}.{nameof(ModelOptions.MaxOutputTokens)} must be at least 1 (was {model.MaxOutputTokens}).");
        }

        if (model.Provider == ChatProvider.Replay && string.IsNullOrWhiteSpace(model.TranscriptPath))
        {
            errors.Add($"{role}.{nameof(ModelOptions.TranscriptPath)} must name the script to play back when the provider is Replay.");
        }

        if (model.Endpoint is { IsAbsoluteUri: false })
        {
            errors.Add($"{role}.{nameof(ModelOptions.Endpoint)} must be an absolute URL (was {model.Endpoint}).");
        }
    }
}
