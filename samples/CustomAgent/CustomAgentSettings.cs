using System.Globalization;

namespace CustomAgent;

/// <summary>The sample's command line.</summary>
public sealed record CustomAgentSettings
{
    /// <summary>The usage text printed for <c>--help</c> and bad input.</summary>
    public const string Usage = """
        usage: CustomAgent --endpoint URL --model MODEL [options]

          --endpoint URL         OpenAI-compatible base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1
          --model MODEL          model id the endpoint serves
          --api-key KEY          API key (default: OPENAI_API_KEY from the environment; local servers need none)
          --task NAME            benchmark task (default mini_llm_efficiency; any name from `mlrb tasks list`)
          --workdir DIR          where workspaces and the run store go (default ./custom-agent-runs)
          --max-iterations N     model calls allowed (default 8)
          --time-limit SECONDS   wall-clock budget of the run (default 300)
          --process-timeout SECONDS  default timeout of run_python/run_bash (default 60)
        """;

    /// <summary>The endpoint's base URL.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The model id.</summary>
    public required string Model { get; init; }

    /// <summary>The API key, when the endpoint needs one.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The task name.</summary>
    public string TaskName { get; init; } = "mini_llm_efficiency";

    /// <summary>Folder for workspaces and <c>runs.db</c>.</summary>
    public string WorkDirectory { get; init; } = "custom-agent-runs";

    /// <summary>The run's budget.</summary>
    public AgentBudget Budget { get; init; } = AgentBudget.Default;

    /// <summary>Default timeout of a process tool call.</summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">Reads an environment variable (for the API key).</param>
    /// <param name="error">Why the command line is bad, when it is.</param>
    /// <returns>The settings, or null with <paramref name="error"/> set.</returns>
    public static CustomAgentSettings? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--endpoint", "--model", "--api-key", "--task", "--workdir", "--max-iterations", "--time-limit", "--process-timeout"];
        for (var i = 0; i < args.Count; i++)
        {
            if (!known.Contains(args[i]))
            {
                error = $"unknown option '{args[i]}'";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            values[args[i]] = args[++i];
        }

        if (!values.TryGetValue("--endpoint", out var endpointText) || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            error = values.ContainsKey("--endpoint") ? $"--endpoint '{endpointText}' is not an http(s) URL" : "--endpoint is required";
            return null;
        }

        if (!values.TryGetValue("--model", out var model) || string.IsNullOrWhiteSpace(model))
        {
            error = "--model is required";
            return null;
        }

        var settings = new CustomAgentSettings
        {
            Endpoint = endpoint,
            Model = model,
            ApiKey = values.GetValueOrDefault("--api-key") ?? environment("OPENAI_API_KEY"),
        };
        var iterations = Positive(values, "--max-iterations", settings.Budget.MaxIterations, out error);
        var seconds = Positive(values, "--time-limit", (int)settings.Budget.TimeLimit.TotalSeconds, out var error2);
        var processSeconds = Positive(values, "--process-timeout", (int)settings.ProcessTimeout.TotalSeconds, out var error3);
        error = error.Length > 0 ? error : error2.Length > 0 ? error2 : error3;
        if (error.Length > 0)
        {
            return null;
        }

        return settings with
        {
            TaskName = values.GetValueOrDefault("--task") ?? settings.TaskName,
            WorkDirectory = values.GetValueOrDefault("--workdir") ?? settings.WorkDirectory,
            Budget = new AgentBudget(iterations, TimeSpan.FromSeconds(seconds)),
            ProcessTimeout = TimeSpan.FromSeconds(processSeconds),
        };
    }

    private static int Positive(Dictionary<string, string> values, string name, int fallback, out string error)
    {
        error = "";
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        error = $"{name} must be a positive whole number (got '{text}')";
        return 0;
    }
}
