using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mlrb.Agents.Tests.Doubles;
using Mlrb.Tasks.Storage;

namespace Mlrb.Agents.Tests;

public class MlrbAgentsOptionsTests
{
    [Test]
    public void Defaults_AreValid()
        => Assert.That(new MlrbAgentsOptions().Validate(), Is.Empty);

    [Test]
    public void EveryInvalidSetting_IsNamed()
    {
        var options = new MlrbAgentsOptions { TimeLimit = TimeSpan.Zero, ParallelWorkers = 0, MaxTotalTokens = -1 };
        options.Worker.Endpoint = new Uri("relative/v1", UriKind.Relative);

        var errors = options.Validate();

        Assert.That(errors, Has.Some.Contains("TimeLimit").And.Some.Contains("ParallelWorkers must be at least 1 (was 0)")
            .And.Some.Contains("MaxTotalTokens").And.Some.Contains("Worker.Endpoint must be an absolute URL"));
    }

    [Test]
    public void AddMlrbAgents_WithInvalidOptions_FailsWhenResolved_NamingTheSetting()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(new InMemoryRunStore());
        services.AddMlrbAgents(o => o.MaxIterationsPerSubtask = 0);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IResearchAgent>());

        Assert.That(ex!.Message, Does.Contain("MaxIterationsPerSubtask must be at least 1"));
    }

    [Test]
    public void AddMlrbAgents_WithValidOptions_ResolvesTheAgent()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(new InMemoryRunStore());
        services.AddMlrbAgents(o => o.ParallelWorkers = 2);
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IResearchAgent>(), Is.Not.Null);
        Assert.That(provider.GetRequiredService<IOptions<MlrbAgentsOptions>>().Value.ParallelWorkers, Is.EqualTo(2));
    }
}
