using System.Globalization;

namespace SemanticKernelAgent;

/// <summary>The sample's command line.</summary>
public sealed record SampleSettings
{
    /// <summary>The usage text printed for <c>--help</c> and bad input.</summary>
    public const string Usage = """
        usage: SemanticKernelAgent --endpoint URL --model MODEL [options]

          --endpoint URL         OpenAI-compatible base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1
          --model MODEL          the workers' model id
          --planner-model MODEL  the planner's model id on the same endpoint (default: --model)
          --api-key KEY          API key (default: OPENAI_API_KEY from the environment; local servers need none)
          --task NAME            benchmark task (default mini_llm_efficiency)
          --workdir DIR          where the workspace and the run store go (default ./sk-agent-runs)
          --time-limit SECONDS   wall-clock budget of the run (default 600)
        """;

    /// <summary>The endpoint's base URL.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The workers' model id.</summary>
    public required string Model { get; init; }

    /// <summary>The planner's model id.</summary>
    public required string PlannerModel { get; init; }

    /// <summary>The API key, when the endpoint needs one.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The task name.</summary>
    public string TaskName { get; init; } = "mini_llm_efficiency";

    /// <summary>Folder for the workspace and <c>mlrb.db</c>.</summary>
    public string WorkDirectory { get; init; } = "sk-agent-runs";

    /// <summary>The run's wall-clock budget.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">Reads an environment variable (for the API key).</param>
    /// <param name="error">Why the command line is bad, when it is.</param>
    /// <returns>The settings, or null with <paramref name="error"/> set.</returns>
    public static SampleSettings? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        string[] known = ["--endpoint", "--model", "--planner-model", "--api-key", "--task", "--workdir", "--time-limit"];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!known.Contains(args[i]))
            {
                error = $"unknown option '{args[i]}'";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            values[args[i]] = args[++i];
        }

        if (!values.TryGetValue("--endpoint", out var endpointText) || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            error = "--endpoint URL is required and must be an absolute URL";
            return null;
        }

        if (!values.TryGetValue("--model", out var model) || string.IsNullOrWhiteSpace(model))
        {
            error = "--model MODEL is required";
            return null;
        }

        var seconds = 600d;
        if (values.TryGetValue("--time-limit", out var limitText)
            && (!double.TryParse(limitText, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds <= 0))
        {
            error = $"--time-limit must be a positive number of seconds (was '{limitText}')";
            return null;
        }

        error = string.Empty;
        return new SampleSettings
        {
            Endpoint = endpoint,
            Model = model,
            PlannerModel = values.GetValueOrDefault("--planner-model") ?? model,
            ApiKey = values.GetValueOrDefault("--api-key") ?? environment("OPENAI_API_KEY"),
            TaskName = values.GetValueOrDefault("--task") ?? "mini_llm_efficiency",
            WorkDirectory = values.GetValueOrDefault("--workdir") ?? "sk-agent-runs",
            TimeLimit = TimeSpan.FromSeconds(seconds),
        };
    }
}
