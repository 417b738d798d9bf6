using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Mlrb.Agents.Providers;
using Mlrb.Agents.Runs;
using Mlrb.Testing;
using Moq;

namespace Mlrb.Agents.Tests.Doubles;

/// <summary>A research agent over a scripted model, an in-memory store and a manual clock.</summary>
internal sealed class AgentHarness
{
    public AgentHarness(Func<ChatCall, ChatResponse> script, Action<MlrbAgentsOptions>? configure = null)
    {
        Client = new ScriptedChatClient(script);
        Options = new MlrbAgentsOptions { TimeLimit = TimeSpan.FromHours(1), MaxModelRetries = 0 };
        Options.Prices["scripted-model"] = new ModelPrice(2m, 10m);
        configure?.Invoke(Options);
        Factory = new Mock<IChatClientFactory>();
        Factory.Setup(f => f.Create(It.IsAny<ModelOptions>())).Returns(Client);
        Workspace = TestPaths.CreateTempDirectory("mlrb-agent");
    }

    public ScriptedChatClient Client { get; }

    public MlrbAgentsOptions Options { get; }

    public Mock<IChatClientFactory> Factory { get; }

    public InMemoryRunStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public string Workspace { get; }

    public List<AgentProgress> Progress { get; } = [];

    public ResearchAgent CreateAgent() => new(Options, Store, Factory.Object, Time);

    public AgentRunRequest Request(IReadOnlyList<AITool> tools, string runId = "run-1") => new()
    {
        RunId = runId,
        TaskName = "mini_baby_lm",
        TaskPrompt = "Train the best small language model you can on the BabyLM data.",
        WorkspacePath = Workspace,
        Tools = tools,
        Progress = new SynchronousProgress(Progress),
    };

    private sealed class SynchronousProgress(List<AgentProgress> sink) : IProgress<AgentProgress>
    {
        public void Report(AgentProgress value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
