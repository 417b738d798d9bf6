namespace Mlrb.Eval.Tokenization.Components;

/// <summary>Cuts a piece at pattern matches with a <see cref="SplitBehavior"/>, as tokenizers' <c>NormalizedString::split</c> does.</summary>
internal static class Splitter
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    [ThreadStatic]
    private static List<(int Start, int End, bool IsMatch)>? t_spans;

    /// <summary>Splits <paramref name="piece"/> and appends the non-empty parts to <paramref name="output"/>.</summary>
    /// <param name="piece">The piece.</param>
    /// <param name="finder">The pattern.</param>
    /// <param name="behavior">What to do with matches.</param>
    /// <param name="invert">Treat gaps as matches and matches as gaps.</param>
    /// <param name="output">Receives the parts.</param>
    public static void Split(Piece piece, IMatchFinder finder, SplitBehavior behavior, bool invert, List<Piece> output)
    {
        var matches = t_matches ??= new List<(int, int)>();
        var spans = t_spans ??= new List<(int, int, bool)>();
        matches.Clear();
        spans.Clear();
        finder.FindMatches(piece.Span, matches);

        // Fast path for the common case: full coverage by matches, isolated.
        var previous = 0;
        foreach (var (start, length) in matches)
        {
            if (start > previous)
            {
                spans.Add((previous, start, invert));
            }

            spans.Add((start, start + length, !invert));
            previous = start + length;
        }

        if (previous < piece.Length)
        {
            spans.Add((previous, piece.Length, invert));
        }

        switch (behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var (s, e, _) in spans)
                {
                    Emit(piece, s, e, output);
                }

                break;
            case SplitBehavior.Removed:
                foreach (var (s, e, isMatch) in spans)
                {
                    if (!isMatch)
                    {
                        Emit(piece, s, e, output);
                    }
                }

                break;
            case SplitBehavior.Contiguous:
                EmitMerged(piece, spans, output, (prev, cur) => prev == cur);
                break;
            case SplitBehavior.MergedWithPrevious:
                MergeWithPrevious(piece, spans, output);
                break;
            case SplitBehavior.MergedWithNext:
                MergeWithNext(piece, spans, output);
                break;
        }
    }

    private static void Emit(Piece piece, int start, int end, List<Piece> output)
    {
        if (end > start)
        {
            output.Add(new Piece(piece.Text, piece.Start + start, end - start, piece.AtTextStart && start == 0));
        }
    }

    private static void EmitMerged(Piece piece, List<(int Start, int End, bool IsMatch)> spans, List<Piece> output, Func<bool, bool, bool> join)
    {
        var haveCurrent = false;
        int curStart = 0, curEnd = 0;
        var curMatch = false;
        foreach (var (s, e, isMatch) in spans)
        {
            if (haveCurrent && join(curMatch, isMatch))
            {
                curEnd = e;
            }
            else
            {
                if (haveCurrent)
                {
                    Emit(piece, curStart, curEnd, output);
                }

                (curStart, curEnd, curMatch, haveCurrent) = (s, e, isMatch, true);
            }
        }

        if (haveCurrent)
        {
            Emit(piece, curStart, curEnd, output);
        }
    }

    private static void MergeWithPrevious(Piece piece, List<(int Start, int End, bool IsMatch)> spans, List<Piece> output)
    {
        var acc = new List<(int Start, int End)>(spans.Count);
        var previousMatch = false;
        foreach (var (s, e, isMatch) in spans)
        {
            if (isMatch && !previousMatch && acc.Count > 0)
            {
                acc[^1] = (acc[^1].Start, e);
            }
            else
            {
                acc.Add((s, e));
            }

            previousMatch = isMatch;
        }

        foreach (var (s, e) in acc)
        {
            Emit(piece, s, e, output);
        }
    }

    private static void MergeWithNext(Piece piece, List<(int Start, int End, bool IsMatch)> spans, List<Piece> output)
    {
        var acc = new List<(int Start, int End)>(spans.Count);
        var previousMatch = false;
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            var (s, e, isMatch) = spans[i];
            if (isMatch && !previousMatch && acc.Count > 0)
            {
                acc[^1] = (s, acc[^1].End);
            }
            else
            {
                acc.Add((s, e));
            }

            previousMatch = isMatch;
        }

        for (var i = acc.Count - 1; i >= 0; i--)
        {
            Emit(piece, acc[i].Start, acc[i].End, output);
        }
    }
}
