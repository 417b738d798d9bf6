namespace Mlrb.Eval.Data;

/// <summary>A row that was skipped because it could not be read.</summary>
/// <param name="File">The file.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Message">What is wrong with the row.</param>
public sealed record DataIssue(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}
