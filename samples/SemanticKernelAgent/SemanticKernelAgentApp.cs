using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Mlrb.Agents;
using Mlrb.SemanticKernel;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;
using OpenAI;

namespace SemanticKernelAgent;

/// <summary>The console app: builds the user's kernel, then runs an Mlrb task with it and prints the result.</summary>
public static class SemanticKernelAgentApp
{
    /// <summary>The kernel's service id of the planner's chat client.</summary>
    public const string PlannerServiceId = "planner";

    /// <summary>The kernel's service id of the workers' chat client.</summary>
    public const string WorkerServiceId = "worker";

    /// <summary>Runs the sample from the command line.</summary>
    /// <param name="args">The command line (see <see cref="SampleSettings.Usage"/>).</param>
    /// <param name="output">Where progress and the result go.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>0 when the run submitted, 1 when it ended without a submission, 2 for bad input.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(SampleSettings.Usage).ConfigureAwait(false);
            return 0;
        }

        var settings = SampleSettings.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (settings is null)
        {
            await output.WriteLineAsync($"SemanticKernelAgent: {error}\n\n{SampleSettings.Usage}").ConfigureAwait(false);
            return 2;
        }

        return await RunAsync(BuildKernel(settings), settings, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The kernel an SK user already has: two chat clients on an OpenAI-compatible endpoint, registered under the
    /// service ids <see cref="PlannerServiceId"/> and <see cref="WorkerServiceId"/>.
    /// </summary>
    /// <param name="settings">Endpoint, models and key.</param>
    /// <returns>The kernel.</returns>
    public static Kernel BuildKernel(SampleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var openAI = new OpenAIClient(new ApiKeyCredential(settings.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = settings.Endpoint });
        var builder = Kernel.CreateBuilder();
        builder.Services.AddKeyedSingleton(PlannerServiceId, openAI.GetChatClient(settings.PlannerModel).AsIChatClient());
        builder.Services.AddKeyedSingleton(WorkerServiceId, openAI.GetChatClient(settings.Model).AsIChatClient());
        return builder.Build();
    }

    /// <summary>Runs one Mlrb task on <paramref name="kernel"/>'s planner and worker services.</summary>
    /// <param name="kernel">The kernel (tests pass one built around mocks).</param>
    /// <param name="settings">Task, work folder and budget.</param>
    /// <param name="output">Where progress and the result go.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>0 when the run submitted, 1 when it ended without a submission, 2 for an unknown task.</returns>
    public static async Task<int> RunAsync(Kernel kernel, SampleSettings settings, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        if (!TaskCatalog.Builtin.TryGet(settings.TaskName, out var task))
        {
            await output.WriteLineAsync($"SemanticKernelAgent: unknown task '{settings.TaskName}'. Known tasks: {string.Join(", ", TaskCatalog.Builtin.Tasks.Select(t => t.Name))}").ConfigureAwait(false);
            return 2;
        }

        var workDirectory = Path.GetFullPath(settings.WorkDirectory);
        var workspace = Directory.CreateDirectory(Path.Combine(workDirectory, "workspace")).FullName;

        // Mlrb's tools join the kernel as a plugin, for the user's own prompts; the agent gets the same tools directly.
        var plugin = kernel.Plugins.AddMlrbTools(workspace);
        await output.WriteLineAsync($"kernel plugin '{plugin.Name}': {plugin.FunctionCount} Mlrb tools").ConfigureAwait(false);
        await using var tools = new ServiceCollection().AddMlrbTools().BuildServiceProvider();
        var functions = tools.GetRequiredService<IToolFactory>().CreateAIFunctions(new ToolContext { WorkspacePath = workspace });

        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workDirectory, "mlrb.db"), cancellationToken).ConfigureAwait(false);
        var agent = kernel.CreateResearchAgent(store, o => (o.TimeLimit, o.MaxModelRetries) = (settings.TimeLimit, 1), PlannerServiceId, WorkerServiceId);
        var prompt = new PromptRenderer().RenderTaskPrompt(task, new PromptContext
        {
            WorkingDirectory = workspace,
            TimeLimit = settings.TimeLimit,
            ToolNames = [.. functions.Select(f => f.Name)],
        });
        await output.WriteLineAsync($"task {task.Name}: {task.FullName}; workspace {workspace}").ConfigureAwait(false);

        var result = await agent.RunAsync(
            new AgentRunRequest
            {
                TaskName = task.Name,
                TaskPrompt = prompt,
                WorkspacePath = workspace,
                Tools = [.. functions],
                Progress = new Progress<AgentProgress>(p => output.WriteLine($"  [step {p.Step}] {p.Agent}: {p.Activity}")),
            },
            cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync($"run {result.RunId}: {result.Status} ({result.StopReason})").ConfigureAwait(false);
        await output.WriteLineAsync($"model {result.Model}; tool calls {result.Actions}; tokens in {result.InputTokens} / out {result.OutputTokens}").ConfigureAwait(false);
        if (result.Submission is { } submission)
        {
            await output.WriteLineAsync($"submission: {submission.ModelPath}").ConfigureAwait(false);
            foreach (var (name, value) in submission.Metrics)
            {
                await output.WriteLineAsync($"  {name} = {value}").ConfigureAwait(false);
            }
        }

        return result.Status == RunStatus.Completed && result.Submission is not null ? 0 : 1;
    }
}
