using System.Text.Json;
using Microsoft.Extensions.AI;
using Mlrb.Agents.Budgets;
using Mlrb.Agents.Runs;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Storage;
using Mlrb.Tasks.ToolCalls;

namespace Mlrb.Agents.Tests.Runs;

public class ObservedToolTests
{
    [Test]
    public async Task OutcomeSourcePath_IsObservedToo_AndAbortsAtTheLimit()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var budget = new RunBudget(time, time.GetUtcNow(), TimeSpan.FromHours(1), TimeSpan.Zero, new UsageMeter(new Dictionary<string, ModelPrice>()));
        var record = new RunRecord { RunId = "r", TaskName = "t", WorkspacePath = "/w", StartedAt = time.GetUtcNow() };
        using var run = new RunContext(record, "prompt", new InMemoryRunStore(), budget, new MlrbAgentsOptions(), null);
        var tool = ObservedTool.Wrap([new BrokenTool()], run, sandboxFailureLimit: 2).Single();

        var source = tool.GetService<IToolOutcomeSource>();
        Assert.That(source, Is.SameAs(tool), "the wrapper, not the inner tool, answers for the outcome path");
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<SandboxFailureException>(() => source!.InvokeForOutcomeAsync(JsonDocument.Parse("{}").RootElement));
        }

        Assert.That(run.SandboxFailures, Is.EqualTo(2));
        Assert.That(run.Abort.IsCancellationRequested, Is.True);
        Assert.That(run.AbortReason, Does.Contain("bwrap missing"));
    }

    private sealed class BrokenTool : AIFunction, IToolOutcomeSource
    {
        public override string Name => "run_bash";

        public override object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(IToolOutcomeSource) ? this : base.GetService(serviceType, serviceKey);

        public Task<ToolOutcome> InvokeForOutcomeAsync(JsonElement arguments, CancellationToken cancellationToken = default)
            => throw new SandboxFailureException("run_bash: bwrap missing");

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
            => throw new SandboxFailureException("run_bash: bwrap missing");
    }
}
