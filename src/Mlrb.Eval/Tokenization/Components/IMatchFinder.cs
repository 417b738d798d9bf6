namespace Mlrb.Eval.Tokenization.Components;

/// <summary>Finds the non-overlapping matches of a split pattern, left to right.</summary>
internal interface IMatchFinder
{
    /// <summary>Appends the (start, length) of every non-empty match in <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="matches">Receives the matches, in order.</param>
    void FindMatches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches);
}
