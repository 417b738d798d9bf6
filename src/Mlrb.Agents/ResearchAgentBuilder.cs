using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Mlrb.Agents.Providers;
using Mlrb.Agents.Runs;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents;

/// <summary>
/// Builds an <see cref="IResearchAgent"/> without dependency injection: a run store, options, and the chat client of
/// each role (any <see cref="IChatClient"/>; a role without one uses the built-in provider its <see cref="ModelOptions"/> names).
/// </summary>
/// <example>
/// <code>
/// var agent = new ResearchAgentBuilder(store)
///     .UseChatClient(AgentRole.Planner, plannerClient)
///     .UseChatClient(AgentRole.Worker, workerClient)
///     .Configure(o =&gt; o.TimeLimit = TimeSpan.FromHours(2))
///     .Build();
/// </code>
/// </example>
public sealed class ResearchAgentBuilder
{
    private readonly IRunStore _store;
    private readonly MlrbAgentsOptions _options = new();
    private readonly Dictionary<AgentRole, IChatClient> _clients = [];
    private TimeProvider _time = TimeProvider.System;
    private ILoggerFactory? _loggers;

    /// <summary>Starts a builder over the store every run is written to.</summary>
    /// <param name="store">The run store (e.g. <c>RunStoreFactory.OpenSqliteAsync</c>).</param>
    public ResearchAgentBuilder(IRunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Changes the options (budgets, loop limits, built-in provider settings).</summary>
    /// <param name="configure">Sets options; may be called more than once.</param>
    /// <returns>This builder.</returns>
    public ResearchAgentBuilder Configure(Action<MlrbAgentsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Makes both roles talk to <paramref name="client"/>.</summary>
    /// <param name="client">The client; the agent never disposes it.</param>
    /// <returns>This builder.</returns>
    public ResearchAgentBuilder UseChatClient(IChatClient client)
        => UseChatClient(AgentRole.Planner, client).UseChatClient(AgentRole.Worker, client);

    /// <summary>Makes one role talk to <paramref name="client"/>.</summary>
    /// <param name="role">Planner or worker.</param>
    /// <param name="client">The client; the agent never disposes it.</param>
    /// <returns>This builder.</returns>
    public ResearchAgentBuilder UseChatClient(AgentRole role, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown agent role.");
        }

        _clients[role] = client;
        return this;
    }

    /// <summary>Sets the clock budgets and timestamps use (tests pass a fake one). Default <see cref="TimeProvider.System"/>.</summary>
    /// <param name="time">The clock.</param>
    /// <returns>This builder.</returns>
    public ResearchAgentBuilder UseTimeProvider(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        return this;
    }

    /// <summary>Sets where the agent logs (run start and end, retries, failures). Default: no logging.</summary>
    /// <param name="loggers">The logger factory.</param>
    /// <returns>This builder.</returns>
    public ResearchAgentBuilder UseLoggerFactory(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _loggers = loggers;
        return this;
    }

    /// <summary>Validates the options and creates the agent.</summary>
    /// <returns>The agent.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the message lists each one).</exception>
    public IResearchAgent Build()
    {
        var clients = new Dictionary<AgentRole, IChatClient>(_clients);
        return new ResearchAgent(
            _options,
            _store,
            new ChatClientFactory(),
            _time,
            _loggers?.CreateLogger<ResearchAgent>(),
            role => clients.GetValueOrDefault(role));
    }
}
