using Mlrb.Eval.Tokenization.Patterns;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary>Chooses the match finder for a <c>Split</c> pattern: a hand-written scanner for the GPT-2, Llama-3 and Qwen2 patterns, else the code-point regex engine.</summary>
internal static class RegexMatchFinder
{
    /// <summary>Returns the fastest exact finder for a pattern.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <param name="isRegex">Whether the pattern is a regex (else a literal string).</param>
    /// <returns>The finder.</returns>
    /// <exception cref="ArgumentException">The regex is malformed or uses a construct the engine does not implement.</exception>
    public static IMatchFinder Create(string pattern, bool isRegex)
    {
        if (!isRegex)
        {
            return pattern.Length == 0 ? CodePointRegex.ForLiteral(pattern) : new LiteralMatchFinder(pattern);
        }

        return pattern switch
        {
            Gpt2PatternMatcher.Pattern => Gpt2PatternMatcher.Instance,
            TiktokenPatternMatcher.Llama3Pattern => TiktokenPatternMatcher.Llama3,
            TiktokenPatternMatcher.Qwen2Pattern => TiktokenPatternMatcher.Qwen2,
            _ => CodePointRegex.Create(pattern),
        };
    }
}
