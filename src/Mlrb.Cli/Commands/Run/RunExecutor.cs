using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Mlrb.Agents;
using Mlrb.Agents.Replay;
using Mlrb.Cli.Commands.Scoring;
using Mlrb.Tasks;
using Mlrb.Tasks.Runs;
using Mlrb.Tasks.Provenance;
using Mlrb.Tasks.Storage;
using Mlrb.Tools;

namespace Mlrb.Cli.Commands.Run;

/// <summary>Runs (or resumes) one agent run for the CLI: store, workspace, tools, agent, progress, table and JSON file.</summary>
internal static class RunExecutor
{
    /// <summary>Known prices (USD per million tokens) used for the cost column; override with configuration in a host.</summary>
    private static readonly Dictionary<string, ModelPrice> DefaultPrices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o"] = new(2.50m, 10.00m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m),
        ["gpt-4.1"] = new(2.00m, 8.00m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m),
        ["claude-sonnet-4"] = new(3.00m, 15.00m),
        ["claude-3-5-sonnet"] = new(3.00m, 15.00m),
        ["claude-opus-4"] = new(15.00m, 75.00m),
        ["claude-haiku-4"] = new(1.00m, 5.00m),
    };

    /// <summary>Runs the command.</summary>
    /// <param name="settings">Parsed flags.</param>
    /// <param name="stdout">Where the table (or JSON) goes.</param>
    /// <param name="stderr">Where progress and errors go.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <returns>The exit code: 0 with a submission, 1 without, 2 for bad input, 130 when cancelled.</returns>
    public static async Task<int> ExecuteAsync(RunSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (settings.Provider == ChatProvider.OpenAI && settings.Endpoint is { } endpoint)
        {
            // A local model (mlrb serve) without chat or tool support is refused here, before any workspace is made.
            var probe = await LocalModelProbe.CheckAsync(endpoint, settings.Model, Environment.GetEnvironmentVariable("OPENAI_API_KEY"), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (probe.Error is { } problem)
            {
                await stderr.WriteLineAsync("mlrb run: " + problem).ConfigureAwait(false);
                return 2;
            }

            settings = settings with { Model = settings.Model ?? probe.Model };
        }

        Directory.CreateDirectory(settings.WorkDirectory);
        var databaseDirectory = RunStoreFactory.IsPostgres(settings.DatabasePath) ? null : Path.GetDirectoryName(Path.GetFullPath(settings.DatabasePath));
        if (databaseDirectory is not null)
        {
            Directory.CreateDirectory(databaseDirectory);
        }

        await using var store = await RunStoreFactory.OpenAsync(settings.DatabasePath, cancellationToken).ConfigureAwait(false);

        string runId;
        string workspace;
        string taskName;
        string? taskPrompt = null;
        string? environmentJson = null;
        (ResearchTask Task, PromptContext Context)? fresh = null;
        TimeSpan timeLimit;
        ComputeBudget? compute = null;
        ResearchTask? runTask = null;
        if (settings.ResumeRunId is { } resumeId)
        {
            var existing = await store.GetRunAsync(resumeId, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                await stderr.WriteLineAsync($"mlrb run: --resume: there is no run '{resumeId}' in {StoreLocations.Describe(settings.DatabasePath)}.").ConfigureAwait(false);
                return 2;
            }

            (runId, workspace, taskName, timeLimit) = (existing.RunId, existing.WorkspacePath, existing.TaskName, existing.TimeLimit ?? TimeSpan.FromHours(24));
            runTask = FindTask(taskName, settings.TaskDirectories);
            compute = runTask?.Compute;
            if (!Directory.Exists(workspace))
            {
                await stderr.WriteLineAsync($"mlrb run: --resume: the workspace of run '{resumeId}' ({workspace}) no longer exists.").ConfigureAwait(false);
                return 2;
            }
        }
        else
        {
            TaskCatalog catalog;
            try
            {
                catalog = settings.TaskDirectories.Count == 0 ? TaskCatalog.Builtin : TaskCatalog.WithTaskDirectories(settings.TaskDirectories);
            }
            catch (Exception ex) when (ex is TaskFileException or DirectoryNotFoundException or IOException)
            {
                await stderr.WriteLineAsync("mlrb run: --tasks-dir: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            if (!catalog.TryGet(settings.Task!, out var task))
            {
                var known = string.Join(", ", catalog.Tasks.Select(t => t.Name));
                await stderr.WriteLineAsync($"mlrb run: unknown task '{settings.Task}'. Known tasks: {known}.").ConfigureAwait(false);
                return 2;
            }

            taskName = task.Name;
            runTask = task;
            compute = task.Compute;
            timeLimit = settings.TimeLimit ?? task.TimeLimit;
            Workspace created;
            try
            {
                created = await new WorkspaceFactory(new WorkspaceOptions { RootDirectory = settings.WorkDirectory })
                    .CreateAsync(task, settings.RunId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                await stderr.WriteLineAsync("mlrb run: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            (runId, workspace) = (created.RunId, created.RootPath);
            fresh = (task, created.ToPromptContext() with { TimeLimit = timeLimit });
        }

        var services = new ServiceCollection();
        services.AddSingleton<IRunStore>(store);
        var limits = Sandbox.TaskLimits.Resolve(compute, settings.LimitFlags);
        services.AddMlrbTools(options =>
        {
            options.Limits = limits;
            if (settings.PythonExecutable is { } python)
            {
                options.PythonExecutable = python;
            }
        });
        if (runTask is not null)
        {
            // The agent's evaluate tool: the task's own scorer on the validation split, in a child process.
            services.AddSingleton<Mlrb.Tools.Evaluation.ISelfEvaluator>(new ChildSelfEvaluator(runTask, new ScoringSettings
            {
                DataDirectory = settings.EvalData,
                TaskDirectories = settings.TaskDirectories,
                MemoryLimitBytes = settings.EvalMemoryLimitBytes,
            }));
        }

        services.AddMlrbAgents(options => Configure(options, settings, timeLimit));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        RunEnvironment? probed = null;
        if (fresh is var (freshTask, _))
        {
            // What the agent's Python really has decides the prompt's "installed packages" line; it is recorded with the run.
            probed = await RunEnvironmentRecorder.CaptureAsync(provider, freshTask, workspace, DateTimeOffset.UtcNow + timeLimit, stderr, cancellationToken).ConfigureAwait(false);
            environmentJson = probed.ToJson();
        }

        var tools = provider.GetRequiredService<IToolFactory>().CreateAIFunctions(new ToolContext
        {
            WorkspacePath = workspace,
            RunId = runId,
            TaskName = taskName,
            Deadline = DateTimeOffset.UtcNow + timeLimit,
        });
        if (fresh is var (renderTask, renderContext) && probed is not null)
        {
            taskPrompt = new PromptRenderer().RenderTaskPrompt(renderTask, renderContext with
            {
                PreinstalledPackages = RunEnvironmentRecorder.InstalledForPrompt(probed),
                ToolNames = [.. tools.Select(t => t.Name)],
            });
        }

        IResearchAgent agent;
        try
        {
            agent = provider.GetRequiredService<IResearchAgent>();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await stderr.WriteLineAsync("mlrb run: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
            return 2;
        }

        var request = new AgentRunRequest
        {
            RunId = runId,
            TaskName = taskName,
            TaskPrompt = taskPrompt ?? "",
            WorkspacePath = workspace,
            Tools = tools.Cast<AITool>().ToList(),
            Progress = new ProgressPrinter(stderr),
            Label = settings.Label,
            EnvironmentJson = environmentJson,
        };

        await stderr.WriteLineAsync($"mlrb run: {(settings.ResumeRunId is null ? "started" : "resuming")} run {runId} on {taskName} in {workspace} (time limit {timeLimit}; tool limits: {Sandbox.TaskLimits.Describe(limits)}).").ConfigureAwait(false);
        AgentRunResult result;
        try
        {
            result = settings.ResumeRunId is null
                ? await agent.RunAsync(request, cancellationToken).ConfigureAwait(false)
                : await agent.ResumeAsync(runId, request, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("API key", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync("mlrb run: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (result.Submission is not null && result.Status != RunStatus.Cancelled && !settings.NoEval)
        {
            result = await ScoreAsync(store, result, settings, stderr, cancellationToken).ConfigureAwait(false);
        }

        var transcriptPath = Path.Combine(settings.WorkDirectory, $"{runId}-transcript.jsonl");
        ReplayScript.FromTranscript(await store.GetMessagesAsync(runId, CancellationToken.None).ConfigureAwait(false)).Save(transcriptPath);
        var resultPath = Path.GetFullPath(settings.ResultPath ?? Path.Combine(settings.WorkDirectory, $"{runId}-result.json"));
        await File.WriteAllTextAsync(resultPath, result.ToJson(), CancellationToken.None).ConfigureAwait(false);
        if (settings.Json)
        {
            await stdout.WriteLineAsync(result.ToJson()).ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync("Task complete").ConfigureAwait(false);
            await stdout.WriteAsync(result.ToMarkdownTable()).ConfigureAwait(false);
        }

        await stderr.WriteLineAsync($"mlrb run: result written to {resultPath}; transcript (replay with --provider replay --transcript) in {transcriptPath}").ConfigureAwait(false);
        return result.Status == RunStatus.Cancelled ? 130
            : result.Submission is null ? 1
            : result.Outcome is null or RunOutcome.Scored ? 0 : 1;
    }

    /// <summary>Scores the submission in a child process and returns the result with the outcome and score.</summary>
    private static async Task<AgentRunResult> ScoreAsync(IRunStore store, AgentRunResult result, RunSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        var scoring = new ScoringSettings
        {
            DataDirectory = settings.EvalData,
            TaskDirectories = settings.TaskDirectories,
            Timeout = settings.EvalTimeout,
            MemoryLimitBytes = settings.EvalMemoryLimitBytes,
            Limit = settings.EvalLimit,
        };
        EvaluationRecord evaluation;
        try
        {
            evaluation = await SubmissionScoring.ScoreAsync(store, result.RunId, scoring, stderr, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("mlrb run: scoring cancelled; score the submission later with mlrb eval --run " + result.RunId).ConfigureAwait(false);
            return result;
        }

        var score = evaluation.Score is { } s ? $" {s.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)} ({evaluation.ScoreName})" : "";
        await stderr.WriteLineAsync($"mlrb run: {evaluation.Outcome.ToName()}{score}{(evaluation.Detail is null ? "" : ": " + evaluation.Detail)}").ConfigureAwait(false);
        return result with { Outcome = evaluation.Outcome, OutcomeDetail = evaluation.Detail, Score = evaluation.Score, ScoreName = evaluation.ScoreName };
    }

    /// <summary>The task of a resumed run: built in, or from the task folders given again.</summary>
    private static ResearchTask? FindTask(string name, IReadOnlyList<string> taskDirectories)
    {
        try
        {
            var catalog = taskDirectories.Count == 0 ? TaskCatalog.Builtin : TaskCatalog.WithTaskDirectories(taskDirectories);
            return catalog.TryGet(name, out var task) ? task : null;
        }
        catch (Exception ex) when (ex is TaskFileException or DirectoryNotFoundException or IOException)
        {
            return TaskCatalog.Builtin.TryGet(name, out var task) ? task : null;
        }
    }

    private static void Configure(MlrbAgentsOptions options, RunSettings settings, TimeSpan timeLimit)
    {
        options.TimeLimit = timeLimit;
        options.Worker = new ModelOptions { Provider = settings.Provider, Model = settings.Model, Endpoint = settings.Endpoint, TranscriptPath = settings.TranscriptPath };
        options.Planner = new ModelOptions
        {
            Provider = settings.PlannerProvider ?? settings.Provider,
            Model = settings.PlannerModel ?? (settings.PlannerProvider is null ? settings.Model : null),
            Endpoint = settings.PlannerEndpoint ?? (settings.PlannerProvider is null ? settings.Endpoint : null),
            TranscriptPath = settings.TranscriptPath,
        };
        options.MaxTotalTokens = settings.MaxTokens;
        options.MaxCostUsd = settings.MaxCostUsd;
        options.ParallelWorkers = settings.ParallelWorkers;
        if (settings.MaxIterations is { } iterations)
        {
            options.MaxIterationsPerSubtask = iterations;
        }

        foreach (var (model, price) in DefaultPrices.Concat(settings.Prices))
        {
            options.Prices[model] = price;
        }
    }
}
