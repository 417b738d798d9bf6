using Mlrb.Eval.Generation;

namespace Mlrb.Cli.Commands.Generate;

/// <summary>Names of finish reasons in JSON output.</summary>
internal static class FinishReasons
{
    public static string Name(GenerationFinishReason reason) => reason switch
    {
        GenerationFinishReason.EndOfSequence => "end_of_sequence",
        GenerationFinishReason.StopSequence => "stop_sequence",
        GenerationFinishReason.MaxTokens => "max_tokens",
        _ => "context_full",
    };
}
