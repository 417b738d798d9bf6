namespace Mlrb.Eval.Benchmarks;

/// <summary>The harness's plain-text context: <c>description + Σ(text + " " + answer + "\n\n") + text</c>.</summary>
internal static class FewShotContext
{
    /// <summary>The target delimiter put between a context and each choice.</summary>
    public const string TargetDelimiter = " ";

    /// <summary>The delimiter after each few-shot block.</summary>
    public const string FewShotDelimiter = "\n\n";

    /// <summary>Builds the context string.</summary>
    public static string Build(string description, IEnumerable<PromptedDocument> examples, PromptedDocument document)
    {
        var sb = new System.Text.StringBuilder(description);
        foreach (var example in examples)
        {
            sb.Append(example.Text).Append(' ').Append(example.TargetText).Append(FewShotDelimiter);
        }

        return sb.Append(document.Text).ToString();
    }

    /// <summary>Builds the document with <c>" " + choice</c> continuations.</summary>
    public static BenchmarkDocument ToDocument(int index, int line, string context, PromptedDocument document)
        => new(index, line, context, document.Choices.Select(c => TargetDelimiter + c).ToList(), document.Gold);
}
