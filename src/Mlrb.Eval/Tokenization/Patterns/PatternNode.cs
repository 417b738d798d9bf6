namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>The syntax tree of a pre-tokenizer pattern.</summary>
internal abstract record PatternNode
{
    /// <summary>Whether the node can match the empty string.</summary>
    public abstract bool Nullable { get; }

    /// <summary>One code point from a set (a literal, a class, <c>.</c>).</summary>
    /// <param name="Set">The set.</param>
    public sealed record CharSet(CodePointSet Set) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => false;
    }

    /// <summary>One exact code point.</summary>
    /// <param name="CodePoint">The code point.</param>
    public sealed record Literal(int CodePoint) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => false;
    }

    /// <summary>A sequence.</summary>
    /// <param name="Items">The parts, in order.</param>
    public sealed record Concat(IReadOnlyList<PatternNode> Items) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => Items.All(i => i.Nullable);
    }

    /// <summary>Ordered alternatives (the first that leads to a match wins).</summary>
    /// <param name="Options">The alternatives.</param>
    public sealed record Alternation(IReadOnlyList<PatternNode> Options) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => Options.Any(o => o.Nullable);
    }

    /// <summary>A quantified node.</summary>
    /// <param name="Body">What repeats.</param>
    /// <param name="Min">Least repetitions.</param>
    /// <param name="Max">Most repetitions, or -1 for no limit.</param>
    /// <param name="Mode">Greedy, lazy or possessive.</param>
    public sealed record Repeat(PatternNode Body, int Min, int Max, RepeatMode Mode) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => Min == 0 || Body.Nullable;
    }

    /// <summary>A lookahead (<c>(?=...)</c> or <c>(?!...)</c>).</summary>
    /// <param name="Body">The asserted pattern.</param>
    /// <param name="Negative">Whether it must not match.</param>
    public sealed record Lookahead(PatternNode Body, bool Negative) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => true;
    }

    /// <summary>An atomic group (<c>(?&gt;...)</c>): its first match is never backtracked into.</summary>
    /// <param name="Body">The grouped pattern.</param>
    public sealed record Atomic(PatternNode Body) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => Body.Nullable;
    }

    /// <summary>A zero-width assertion (<c>^</c>, <c>$</c>, <c>\A</c>, <c>\z</c>, <c>\Z</c>, <c>\b</c>, <c>\B</c>).</summary>
    /// <param name="Kind">The assertion.</param>
    public sealed record Anchor(AnchorKind Kind) : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => true;
    }

    /// <summary>The empty pattern.</summary>
    public sealed record Empty : PatternNode
    {
        /// <inheritdoc />
        public override bool Nullable => true;
    }
}

/// <summary>How a quantifier backtracks.</summary>
internal enum RepeatMode : byte
{
    /// <summary>As many as possible, giving back on failure.</summary>
    Greedy,

    /// <summary>As few as possible, taking more on failure.</summary>
    Lazy,

    /// <summary>As many as possible, never giving back.</summary>
    Possessive,
}

/// <summary>Zero-width assertions.</summary>
internal enum AnchorKind : byte
{
    /// <summary><c>^</c>: start of a line (Ruby syntax).</summary>
    LineStart,

    /// <summary><c>$</c>: end of a line.</summary>
    LineEnd,

    /// <summary><c>\A</c>.</summary>
    TextStart,

    /// <summary><c>\z</c>.</summary>
    TextEnd,

    /// <summary><c>\Z</c>: end, or before a final newline.</summary>
    TextEndOrFinalNewline,

    /// <summary><c>\b</c>.</summary>
    WordBoundary,

    /// <summary><c>\B</c>.</summary>
    NotWordBoundary,
}
