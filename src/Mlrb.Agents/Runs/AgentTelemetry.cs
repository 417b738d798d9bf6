using System.Diagnostics;

namespace Mlrb.Agents.Runs;

/// <summary>
/// The agent's spans on the <c>Mlrb.Agents</c> activity source: one <c>mlrb.agent.run</c> span per run (or resumed
/// session), under which every model call is a GenAI semantic-convention span (<c>chat {model}</c>, from
/// Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c>) and every tool call a <c>Mlrb.Tools</c> span.
/// </summary>
internal static class AgentTelemetry
{
    /// <summary>The activity source name (also the source of the GenAI model-call spans).</summary>
    public const string Name = "Mlrb.Agents";

    /// <summary>Tag: the run id.</summary>
    public const string RunIdTag = "mlrb.run.id";

    /// <summary>Tag: the task name.</summary>
    public const string TaskTag = "mlrb.task";

    /// <summary>Tag: how the run ended (<c>Completed</c>, <c>Failed</c>, ...).</summary>
    public const string StatusTag = "mlrb.run.status";

    /// <summary>Where the run spans start.</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(AgentTelemetry).Assembly.GetName().Version?.ToString());
}
