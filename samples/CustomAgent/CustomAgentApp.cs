using System.ClientModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Tasks;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;
using OpenAI;

namespace CustomAgent;

/// <summary>The console app: reads the command line, wires the model, Mlrb's tools and the run store, runs, prints.</summary>
public static class CustomAgentApp
{
    /// <summary>Runs the sample.</summary>
    /// <param name="args">The command line (see <see cref="CustomAgentSettings.Usage"/>).</param>
    /// <param name="output">Where progress and the result go.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>0 when the run submitted, 1 when it ended without a submission, 2 for bad input.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteLineAsync(CustomAgentSettings.Usage).ConfigureAwait(false);
            return 0;
        }

        var settings = CustomAgentSettings.Parse(args, Environment.GetEnvironmentVariable, out var error);
        if (settings is null)
        {
            await output.WriteLineAsync($"CustomAgent: {error}\n\n{CustomAgentSettings.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (!TaskCatalog.Builtin.TryGet(settings.TaskName, out var task))
        {
            await output.WriteLineAsync($"CustomAgent: unknown task '{settings.TaskName}'. Known tasks: {string.Join(", ", TaskCatalog.Builtin.Tasks.Select(t => t.Name))}").ConfigureAwait(false);
            return 2;
        }

        // Mlrb's tools come from the Mlrb.Tools package's DI registration.
        using var services = new ServiceCollection()
            .AddMlrbTools(o => o.DefaultProcessTimeout = settings.ProcessTimeout)
            .BuildServiceProvider();

        // Any OpenAI-compatible endpoint through the OpenAI SDK, seen as an IChatClient (Microsoft.Extensions.AI.OpenAI).
        var openAI = new OpenAIClient(new ApiKeyCredential(settings.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = settings.Endpoint });
        using var chat = openAI.GetChatClient(settings.Model).AsIChatClient();

        var workDirectory = Path.GetFullPath(settings.WorkDirectory);
        await using var store = await RunStoreFactory.OpenSqliteAsync(Path.Combine(workDirectory, "runs.db"), cancellationToken).ConfigureAwait(false);
        var workspace = Path.Combine(workDirectory, "workspaces", $"{task.Name}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        await output.WriteLineAsync($"task {task.Name}: {task.FullName}").ConfigureAwait(false);
        await output.WriteLineAsync($"model {settings.Model} at {settings.Endpoint}; budget {settings.Budget.MaxIterations} model calls, {settings.Budget.TimeLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s").ConfigureAwait(false);
        await output.WriteLineAsync($"workspace {workspace}").ConfigureAwait(false);

        var loop = new BudgetedAgentLoop(chat, services.GetRequiredService<IToolFactory>(), store);
        var summary = await loop.RunAsync(task, workspace, settings.Budget, settings.Model, cancellationToken).ConfigureAwait(false);
        await PrintAsync(output, summary, await store.GetStepsAsync(summary.RunId, CancellationToken.None).ConfigureAwait(false), Path.Combine(workDirectory, "runs.db")).ConfigureAwait(false);
        return summary.Status == RunStatus.Completed ? 0 : 1;
    }

    private static async Task PrintAsync(TextWriter output, AgentRunSummary summary, IReadOnlyList<StepRecord> steps, string database)
    {
        foreach (var step in steps)
        {
            var what = step.Tool is null ? step.Kind : $"{step.Kind} {step.Tool}";
            await output.WriteLineAsync($"  step {step.Id}: {what} -> {step.Status}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"run {summary.RunId}: {summary.Status} ({summary.StopReason})").ConfigureAwait(false);
        await output.WriteLineAsync($"model calls {summary.Iterations}, tool calls {summary.ToolCalls}, tokens in {summary.InputTokens} / out {summary.OutputTokens}").ConfigureAwait(false);
        if (summary.Submission is { } submission)
        {
            await output.WriteLineAsync($"submission: {submission.ModelPath}").ConfigureAwait(false);
            foreach (var (name, value) in submission.Metrics)
            {
                await output.WriteLineAsync($"  {name} = {value}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"steps and transcript recorded in {database}").ConfigureAwait(false);
    }
}
