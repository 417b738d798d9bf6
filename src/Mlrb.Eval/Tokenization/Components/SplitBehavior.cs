namespace Mlrb.Eval.Tokenization.Components;

/// <summary>What a split does with the matches (tokenizers' <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    /// <summary>Drop the matches.</summary>
    Removed,

    /// <summary>Each match and each gap is its own piece.</summary>
    Isolated,

    /// <summary>A match joins the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>A match joins the piece after it.</summary>
    MergedWithNext,

    /// <summary>Adjacent spans of the same kind are joined.</summary>
    Contiguous,
}
