using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Middleware;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Planning;

/// <summary>
/// Where the supervisor stands: the current plan, reviewed subtasks, attempts, and the conversations still open.
/// Rebuilt from the run store's steps when a run resumes.
/// </summary>
internal sealed class SupervisorState
{
    private static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>The current plan.</summary>
    public ResearchPlan? Plan { get; set; }

    /// <summary>How many plans were made (the current plan's version).</summary>
    public int PlanVersion { get; set; }

    /// <summary>Reviewed subtasks of the current plan, by subtask id.</summary>
    public Dictionary<int, SubtaskResult> Results { get; } = [];

    /// <summary>Attempts made per subtask of the current plan.</summary>
    public Dictionary<int, int> Attempts { get; } = [];

    /// <summary>Subtasks whose worker was running when the run stopped.</summary>
    public List<OpenSubtask> Open { get; } = [];

    /// <summary>The final-submission conversation, if it was running when the run stopped.</summary>
    public OpenSubtask? OpenFinal { get; set; }

    /// <summary>Why the final submission was asked for, when <see cref="OpenFinal"/> is set.</summary>
    public string? FinalReason { get; set; }

    /// <summary>Worker conversations started so far (names them <c>worker-N</c>).</summary>
    public int WorkerCount { get; set; }

    /// <summary>A re-plan was decided but not made yet.</summary>
    public bool NeedsReplan { get; set; }

    /// <summary>The run's submission, when one was recorded.</summary>
    public Submission? Submission { get; set; }

    /// <summary>Every reviewed result of every plan, for prompts.</summary>
    public StringBuilder History { get; } = new();

    /// <summary>Payload of a plan step.</summary>
    /// <param name="version">Plan version.</param>
    /// <param name="plan">The plan.</param>
    /// <returns>JSON.</returns>
    public static string PlanPayload(int version, ResearchPlan plan) => JsonSerializer.Serialize(new PlanPayloadRecord(version, plan), Json);

    /// <summary>Payload of a subtask step.</summary>
    /// <param name="version">Plan version.</param>
    /// <param name="subtask">Subtask id.</param>
    /// <param name="attempt">Attempt number (1-based).</param>
    /// <returns>JSON.</returns>
    public static string SubtaskPayload(int version, int subtask, int attempt) => JsonSerializer.Serialize(new SubtaskPayloadRecord(version, subtask, attempt), Json);

    /// <summary>Completion text of a subtask step.</summary>
    /// <param name="result">The reviewed result.</param>
    /// <returns>JSON.</returns>
    public static string ResultPayload(SubtaskResult result) => JsonSerializer.Serialize(result, Json);

    /// <summary>Rebuilds the state from a run's steps.</summary>
    /// <param name="steps">The steps, in order.</param>
    /// <returns>The state.</returns>
    public static SupervisorState FromSteps(IReadOnlyList<StepRecord> steps)
    {
        var state = new SupervisorState();
        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case "plan" when step.Status == StepStatus.Succeeded && step.ArgumentsJson is not null:
                    var plan = JsonSerializer.Deserialize<PlanPayloadRecord>(step.ArgumentsJson, Json)!;
                    state.Plan = plan.Plan;
                    state.PlanVersion = plan.Version;
                    state.Results.Clear();
                    state.Attempts.Clear();
                    state.Open.Clear();
                    state.NeedsReplan = false;
                    break;
                case "subtask" when step.ArgumentsJson is not null:
                    state.WorkerCount++;
                    var payload = JsonSerializer.Deserialize<SubtaskPayloadRecord>(step.ArgumentsJson, Json)!;
                    if (payload.Version != state.PlanVersion)
                    {
                        break;
                    }

                    state.Attempts[payload.Subtask] = Math.Max(state.Attempts.GetValueOrDefault(payload.Subtask), payload.Attempt);
                    if (step.Status == StepStatus.Started)
                    {
                        state.Open.Add(new OpenSubtask(step.Id, step.Agent, payload.Subtask, payload.Attempt));
                    }
                    else if (step.OutputExcerpt is not null && TryResult(step.OutputExcerpt) is { } result)
                    {
                        state.Record(payload.Subtask, result);
                    }

                    break;
                case "final":
                    state.WorkerCount++;
                    state.OpenFinal = step.Status == StepStatus.Started ? new OpenSubtask(step.Id, step.Agent, 0, 1) : null;
                    state.FinalReason = step.ArgumentsJson;
                    break;
                case "submission" when step.ArgumentsJson is not null:
                    state.Submission = JsonSerializer.Deserialize<Submission>(step.ArgumentsJson, Json);
                    break;
            }
        }

        return state;
    }

    /// <summary>Records a reviewed subtask.</summary>
    /// <param name="subtask">Its id.</param>
    /// <param name="result">The result.</param>
    public void Record(int subtask, SubtaskResult result)
    {
        Results[subtask] = result;
        NeedsReplan |= result.Verdict == ReviewDecision.Replan;
        var title = Plan?.Steps.FirstOrDefault(s => s.Id == subtask)?.Title ?? $"subtask {subtask}";
        History.Append("- [plan ").Append(PlanVersion).Append("] ").Append(title).Append(": ")
            .Append(result.Success ? "succeeded" : "did not succeed").Append(" (").Append(result.Outcome).Append("); ")
            .Append(result.Summary).Append(" -> ").Append(result.Verdict)
            .Append(string.IsNullOrWhiteSpace(result.Notes) ? "" : " (" + result.Notes + ")").AppendLine();
    }

    /// <summary>Restores a worker conversation from the transcript.</summary>
    /// <param name="messages">The run's transcript.</param>
    /// <param name="agent">The conversation.</param>
    /// <returns>The messages of that conversation, marked as stored.</returns>
    public static List<ChatMessage> Conversation(IReadOnlyList<MessageRecord> messages, string agent)
        => messages.Where(m => m.Agent == agent).Select(TranscriptChatClient.Deserialize).ToList();

    private static SubtaskResult? TryResult(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SubtaskResult>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A worker conversation that was running when the run stopped.</summary>
    /// <param name="StepId">Its subtask step.</param>
    /// <param name="Agent">Its conversation name.</param>
    /// <param name="Subtask">Subtask id (0 for the final submission).</param>
    /// <param name="Attempt">Attempt number.</param>
    internal sealed record OpenSubtask(long StepId, string Agent, int Subtask, int Attempt);

    private sealed record PlanPayloadRecord(int Version, ResearchPlan Plan);

    private sealed record SubtaskPayloadRecord(int Version, int Subtask, int Attempt);
}
