namespace Mlrb.Agents.Providers;

/// <summary>Finds the API key of a provider: configuration first, then the environment.</summary>
internal static class ApiKeyResolver
{
    /// <summary>Environment variables tried for OpenAI, in order (the reference used <c>OPENAI</c>).</summary>
    public static readonly string[] OpenAIVariables = ["OPENAI_API_KEY", "OPENAI"];

    /// <summary>Environment variables tried for Anthropic, in order (the reference used <c>ANTHROPIC</c>).</summary>
    public static readonly string[] AnthropicVariables = ["ANTHROPIC_API_KEY", "ANTHROPIC"];

    /// <summary>Returns the configured key, else the first non-empty variable, else null.</summary>
    /// <param name="options">The model options.</param>
    /// <param name="environment">Reads an environment variable (injectable for tests).</param>
    /// <returns>The key or null.</returns>
    public static string? Resolve(ModelOptions options, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return options.ApiKey;
        }

        environment ??= Environment.GetEnvironmentVariable;
        var names = options.Provider == ChatProvider.Anthropic ? AnthropicVariables : OpenAIVariables;
        foreach (var name in names)
        {
            var value = environment(name);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }

        return null;
    }
}
