namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>
/// A backtracking matcher over UTF-16 text that steps by code point (a surrogate pair is one character, never split),
/// with Oniguruma's priorities: ordered alternation, greedy/lazy loops, atomic groups, lookahead.
/// </summary>
internal sealed class PatternMachine
{
    private readonly Instruction[][] _programs;
    private readonly CodePointSet[] _sets;

    [ThreadStatic]
    private static Frame[]? t_stack;

    /// <summary>Creates the machine.</summary>
    /// <param name="programs">Program 0 is the pattern; the others are lookahead and atomic bodies.</param>
    /// <param name="sets">The character sets the programs refer to.</param>
    /// <param name="canMatchEmpty">Whether the pattern can match the empty string.</param>
    public PatternMachine(Instruction[][] programs, CodePointSet[] sets, bool canMatchEmpty)
    {
        _programs = programs;
        _sets = sets;
        CanMatchEmpty = canMatchEmpty;
    }

    /// <summary>Whether the pattern can match the empty string.</summary>
    public bool CanMatchEmpty { get; }

    /// <summary>Matches the pattern anchored at a position.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Where the match must start.</param>
    /// <returns>The end of the match, or -1.</returns>
    public int MatchAt(ReadOnlySpan<char> text, int start)
    {
        var stack = t_stack ??= new Frame[64];
        var depth = 0;
        return Run(0, text, start, ref stack, ref depth);
    }

    private int Run(int program, ReadOnlySpan<char> text, int pos, ref Frame[] stack, ref int depth)
    {
        var code = _programs[program];
        var baseDepth = depth;
        var pc = 0;
        while (true)
        {
            var ins = code[pc];
            bool ok;
            switch (ins.Op)
            {
                case OpCode.Char:
                {
                    ok = false;
                    if (pos < text.Length && UnicodeData.CodePointAt(text, pos, out var w) == ins.A)
                    {
                        ok = true;
                        pos += w;
                        pc++;
                    }

                    break;
                }

                case OpCode.Set:
                {
                    ok = false;
                    if (pos < text.Length)
                    {
                        var cp = UnicodeData.CodePointAt(text, pos, out var w);
                        if (_sets[ins.A].Contains(cp))
                        {
                            ok = true;
                            pos += w;
                            pc++;
                        }
                    }

                    break;
                }

                case OpCode.SetLoop:
                {
                    var set = _sets[ins.A];
                    var floor = pos;
                    var count = 0;
                    while (pos < text.Length)
                    {
                        var cp = UnicodeData.CodePointAt(text, pos, out var w);
                        if (!set.Contains(cp))
                        {
                            break;
                        }

                        pos += w;
                        if (++count == ins.B)
                        {
                            floor = pos;
                        }
                    }

                    ok = count >= ins.B;
                    if (ok)
                    {
                        pc++;
                        if (pos > floor)
                        {
                            Push(ref stack, ref depth, new Frame(pc, pos, floor));
                        }
                    }

                    break;
                }

                case OpCode.Split:
                    Push(ref stack, ref depth, new Frame(ins.B, pos, -1));
                    pc = ins.A;
                    ok = true;
                    break;
                case OpCode.Jump:
                    pc = ins.A;
                    ok = true;
                    break;
                case OpCode.Assert:
                    ok = Check((AnchorKind)ins.A, text, pos);
                    pc++;
                    break;
                case OpCode.Look:
                    ok = (Run(ins.A, text, pos, ref stack, ref depth) >= 0) != (ins.B == 1);
                    pc++;
                    break;
                case OpCode.Atomic:
                {
                    var end = Run(ins.A, text, pos, ref stack, ref depth);
                    ok = end >= 0;
                    pos = end;
                    pc++;
                    break;
                }

                case OpCode.Match:
                    depth = baseDepth;
                    return pos;
                default:
                    throw new InvalidOperationException($"bad opcode {ins.Op}");
            }

            if (ok)
            {
                continue;
            }

            // Backtrack.
            if (depth == baseDepth)
            {
                return -1;
            }

            var frame = stack[--depth];
            pc = frame.Pc;
            pos = frame.Pos;
            if (frame.Floor >= 0)
            {
                // A greedy set loop gives back one code point.
                UnicodeData.CodePointBefore(text, pos, out var w);
                pos -= w;
                if (pos > frame.Floor)
                {
                    Push(ref stack, ref depth, new Frame(pc, pos, frame.Floor));
                }
            }
        }
    }

    private static void Push(ref Frame[] stack, ref int depth, Frame frame)
    {
        if (depth == stack.Length)
        {
            Array.Resize(ref stack, stack.Length * 2);
            t_stack = stack;
        }

        stack[depth++] = frame;
    }

    private static bool Check(AnchorKind kind, ReadOnlySpan<char> text, int pos) => kind switch
    {
        AnchorKind.LineStart => pos == 0 || text[pos - 1] == '\n',
        AnchorKind.LineEnd => pos == text.Length || text[pos] == '\n',
        AnchorKind.TextStart => pos == 0,
        AnchorKind.TextEnd => pos == text.Length,
        AnchorKind.TextEndOrFinalNewline => pos == text.Length || (pos == text.Length - 1 && text[pos] == '\n'),
        AnchorKind.WordBoundary => IsWordBefore(text, pos) != IsWordAt(text, pos),
        AnchorKind.NotWordBoundary => IsWordBefore(text, pos) == IsWordAt(text, pos),
        _ => false,
    };

    private static bool IsWordBefore(ReadOnlySpan<char> text, int pos)
        => pos > 0 && UnicodeData.IsWord(UnicodeData.CodePointBefore(text, pos, out _));

    private static bool IsWordAt(ReadOnlySpan<char> text, int pos)
        => pos < text.Length && UnicodeData.IsWord(UnicodeData.CodePointAt(text, pos, out _));

    /// <summary>A backtracking point: resume at <see cref="Pc"/> and <see cref="Pos"/>; a set loop's point also has the lowest end it may give back to.</summary>
    private readonly record struct Frame(int Pc, int Pos, int Floor);
}
