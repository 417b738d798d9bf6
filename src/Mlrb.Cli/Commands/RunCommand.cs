using System.CommandLine;
using Mlrb.Agents;
using Mlrb.Cli.Commands.Run;

namespace Mlrb.Cli.Commands;

/// <summary>The <c>mlrb run</c> verb: one agent run on a task, or the continuation of a stopped one.</summary>
internal static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => Create(Console.Out, Console.Error);

    /// <summary>Creates the command writing to the given streams (tests capture them).</summary>
    /// <param name="stdout">Table or JSON output.</param>
    /// <param name="stderr">Progress and errors.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var task = new Argument<string?>("task") { Description = "The task to run, e.g. mini_baby_lm (see mlrb tasks list).", Arity = ArgumentArity.ZeroOrOne };
        var provider = new Option<string>("--provider") { Description = "Model API: openai (or any OpenAI-compatible server with --endpoint), anthropic, or replay (plays back --transcript; no key).", DefaultValueFactory = _ => "openai" };
        provider.AcceptOnlyFromAmong("openai", "anthropic", "replay");
        var transcript = new Option<string?>("--transcript") { Description = "With --provider replay: the JSON-lines script or a run's exported <run-id>-transcript.jsonl to play back." };
        var label = new Option<string?>("--label") { Description = "The agent's name in results tables (default: provider/model)." };
        var python = new Option<string?>("--python") { Description = "The agent's Python for run_python: an interpreter (path or name on PATH) or a virtual environment folder (default: python3 on PATH). Probed at start: the prompt lists what it can import." };
        var model = new Option<string?>("--model") { Description = "Model id (default gpt-4o or claude-sonnet-4-5)." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Base URL of an OpenAI-compatible server (ending in /v1) or of the Anthropic API." };
        var plannerProvider = new Option<string?>("--planner-provider") { Description = "Provider of the planner (default: --provider)." };
        plannerProvider.AcceptOnlyFromAmong("openai", "anthropic", "replay");
        var plannerModel = new Option<string?>("--planner-model") { Description = "Model of the planner (default: --model)." };
        var plannerEndpoint = new Option<string?>("--planner-endpoint") { Description = "Endpoint of the planner (default: --endpoint)." };
        var timeLimit = new Option<string?>("--time-limit") { Description = "Wall-clock limit, e.g. 24h, 90m, 1h30m (default: the task's limit)." };
        var workdir = new Option<string>("--workdir") { Description = "Folder that holds the run workspaces and result files.", DefaultValueFactory = _ => "runs" };
        var db = new Option<string?>("--db") { Description = StoreLocations.Help + "<workdir>/mlrb.db." };
        var resume = new Option<string?>("--resume") { Description = "Continue the stopped or killed run with this id from its last completed step." };
        var runId = new Option<string?>("--run-id") { Description = "Id for a new run (default: time stamp and random suffix)." };
        var maxTokens = new Option<long?>("--max-tokens") { Description = "Stop when this many tokens (input + output) are spent." };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "Stop when this many US dollars are spent." };
        var parallel = new Option<int>("--parallel-workers") { Description = "Independent subtasks run at once.", DefaultValueFactory = _ => 1 };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Most model turns per subtask (default 40)." };
        var resultPath = new Option<string?>("--result") { Description = "Path of the JSON result file (default: <workdir>/<run-id>-result.json)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON instead of a table." };
        var price = new Option<string[]>("--price") { Description = "Price of a model in USD per million tokens, MODEL=INPUT:OUTPUT (repeatable), e.g. my-model=0.5:1.5.", AllowMultipleArgumentsPerToken = false };

        var command = new Command("run", "Run the agent on a task: plan, work with tools under a hard time budget, submit a model; prints the results table and writes a JSON result.")
        {
            task, provider, transcript, label, python, model, endpoint, plannerProvider, plannerModel, plannerEndpoint, timeLimit, workdir, db, resume, runId, maxTokens, maxCost, parallel, maxIterations, resultPath, json, price,
        };

        var limitOptions = new Sandbox.LimitOptions();
        limitOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? Fail(string message)
            {
                stderr.WriteLine("mlrb run: " + message);
                return null;
            }

            Uri? ParseUri(string? text, string flag)
                => text is null ? null : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new FormatException($"{flag}: '{text}' is not an absolute URL.");

            try
            {
                var taskName = parse.GetValue(task);
                var resumeId = parse.GetValue(resume);
                if (taskName is null && resumeId is null)
                {
                    Fail("give a task (e.g. mlrb run mini_baby_lm --provider openai) or --resume <run-id>.");
                    return 2;
                }

                TimeSpan? limit = null;
                if (parse.GetValue(timeLimit) is { } limitText)
                {
                    if (!DurationParser.TryParse(limitText, out var parsed))
                    {
                        Fail($"--time-limit: '{limitText}' is not a duration such as 24h, 90m or 1h30m.");
                        return 2;
                    }

                    limit = parsed;
                }

                var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
                foreach (var entry in parse.GetValue(price) ?? [])
                {
                    if (!PriceParser.TryParse(entry, out var priceModel, out var modelPrice))
                    {
                        Fail($"--price: '{entry}' is not MODEL=INPUT:OUTPUT with prices in USD per million tokens.");
                        return 2;
                    }

                    prices[priceModel] = modelPrice;
                }

                var providerName = parse.GetValue(provider)!;
                var transcriptPath = parse.GetValue(transcript);
                if ((providerName == "replay" || parse.GetValue(plannerProvider) == "replay") && transcriptPath is null)
                {
                    Fail("--provider replay needs --transcript FILE (a JSON-lines script, or a run's <run-id>-transcript.jsonl).");
                    return 2;
                }

                if (transcriptPath is not null && !File.Exists(transcriptPath))
                {
                    Fail($"--transcript: file not found: {transcriptPath}");
                    return 2;
                }

                string? pythonExecutable = null;
                if (parse.GetValue(python) is { } pythonText)
                {
                    if (!PythonLocator.TryResolve(pythonText, out pythonExecutable, out var pythonError))
                    {
                        Fail("--python: " + pythonError);
                        return 2;
                    }
                }

                var limitFlags = new Tools.ProcessLimits { MaxProcesses = null, Gpus = "" };
                if (limitOptions.Apply(parse, limitFlags) is { } limitError)
                {
                    Fail(limitError);
                    return 2;
                }

                var workDirectory = Path.GetFullPath(parse.GetValue(workdir)!);
                var settings = new RunSettings
                {
                    Task = taskName,
                    Provider = ParseProvider(providerName),
                    TranscriptPath = transcriptPath is null ? null : Path.GetFullPath(transcriptPath),
                    Label = parse.GetValue(label),
                    PythonExecutable = pythonExecutable,
                    Model = parse.GetValue(model),
                    Endpoint = ParseUri(parse.GetValue(endpoint), "--endpoint"),
                    PlannerProvider = parse.GetValue(plannerProvider) is { } pp ? ParseProvider(pp) : null,
                    PlannerModel = parse.GetValue(plannerModel),
                    PlannerEndpoint = ParseUri(parse.GetValue(plannerEndpoint), "--planner-endpoint"),
                    TimeLimit = limit,
                    WorkDirectory = workDirectory,
                    DatabasePath = StoreLocations.Resolve(parse.GetValue(db), Path.Combine(workDirectory, "mlrb.db")),
                    ResumeRunId = resumeId,
                    RunId = parse.GetValue(runId),
                    MaxTokens = parse.GetValue(maxTokens),
                    MaxCostUsd = parse.GetValue(maxCost),
                    ParallelWorkers = parse.GetValue(parallel),
                    MaxIterations = parse.GetValue(maxIterations),
                    ResultPath = parse.GetValue(resultPath),
                    Json = parse.GetValue(json),
                    Prices = prices,
                    LimitFlags = limitFlags,
                };
                return await RunExecutor.ExecuteAsync(settings, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                Fail(ex.Message);
                return 2;
            }
        });
        return command;
    }

    private static ChatProvider ParseProvider(string text) => text switch
    {
        "anthropic" => ChatProvider.Anthropic,
        "replay" => ChatProvider.Replay,
        _ => ChatProvider.OpenAI,
    };
}
