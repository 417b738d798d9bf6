using Mlrb.Eval.Generation;

namespace Mlrb.Cli.Commands.Generate;

/// <summary>The parsed <c>mlrb generate</c> options.</summary>
internal sealed record GenerateSettings
{
    public required string Model { get; init; }

    public string? Adapter { get; init; }

    public string? Base { get; init; }

    public string? Prompt { get; init; }

    public string? PromptsFile { get; init; }

    public int MaxNewTokens { get; init; } = 256;

    public double Temperature { get; init; }

    public double TopP { get; init; } = 1;

    public int TopK { get; init; }

    public long? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public bool AddSpecialTokens { get; init; } = true;

    public bool IgnoreEos { get; init; }

    public int? Threads { get; init; }

    public string Device { get; init; } = "cpu";

    public bool Json { get; init; }

    public GenerationOptions Options => new()
    {
        MaxNewTokens = MaxNewTokens,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        Seed = Seed,
        StopSequences = Stop,
        AddSpecialTokens = AddSpecialTokens,
        StopAtEndOfSequence = !IgnoreEos,
    };

    /// <summary>The first problem with the arguments, or null.</summary>
    public string? Validate()
    {
        if ((Prompt is null) == (PromptsFile is null))
        {
            return "give either --prompt TEXT or --prompts FILE.jsonl.";
        }

        if (Threads is <= 0)
        {
            return "--threads must be positive.";
        }

        try
        {
            Options.Validate();
        }
        catch (ArgumentException ex)
        {
            return ex.Message.Replace("MaxNewTokens", "--max-new-tokens", StringComparison.Ordinal)
                .Replace("Temperature", "--temperature", StringComparison.Ordinal)
                .Replace("TopP", "--top-p", StringComparison.Ordinal)
                .Replace("TopK", "--top-k", StringComparison.Ordinal);
        }

        return null;
    }
}
