namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>Compiles a <see cref="PatternNode"/> tree into programs for <see cref="PatternMachine"/>.</summary>
internal sealed class PatternCompiler
{
    private const int MaxInstructions = 1 << 20;

    private readonly List<Instruction[]> _programs = [];
    private readonly List<CodePointSet> _sets = [];
    private readonly Dictionary<int, int> _literalSets = [];

    private PatternCompiler()
    {
    }

    /// <summary>Compiles a tree.</summary>
    /// <param name="root">The tree.</param>
    /// <returns>The machine.</returns>
    /// <exception cref="ArgumentException">The pattern repeats something that can match the empty string without bound, or is too large.</exception>
    public static PatternMachine Compile(PatternNode root)
    {
        var compiler = new PatternCompiler();
        compiler._programs.Add([]);
        compiler._programs[0] = compiler.Program(root);
        return new PatternMachine([.. compiler._programs], [.. compiler._sets], root.Nullable);
    }

    private Instruction[] Program(PatternNode node)
    {
        var code = new List<Instruction>();
        Emit(node, code);
        code.Add(new Instruction(OpCode.Match, 0));
        return [.. code];
    }

    private int SubProgram(PatternNode node)
    {
        var index = _programs.Count;
        _programs.Add([]);
        _programs[index] = Program(node);
        return index;
    }

    private int SetIndex(CodePointSet set)
    {
        _sets.Add(set);
        return _sets.Count - 1;
    }

    private int LiteralSet(int cp)
    {
        if (!_literalSets.TryGetValue(cp, out var index))
        {
            index = SetIndex(CodePointSet.Of(new SetItem(SetItemKind.Range, cp, cp, false)));
            _literalSets[cp] = index;
        }

        return index;
    }

    private void Emit(PatternNode node, List<Instruction> code)
    {
        if (code.Count > MaxInstructions)
        {
            throw new ArgumentException("the pattern is too large once its intervals are expanded");
        }

        switch (node)
        {
            case PatternNode.Literal literal:
                code.Add(new Instruction(OpCode.Char, literal.CodePoint));
                break;
            case PatternNode.CharSet set:
                code.Add(new Instruction(OpCode.Set, SetIndex(set.Set)));
                break;
            case PatternNode.Concat concat:
                foreach (var item in concat.Items)
                {
                    Emit(item, code);
                }

                break;
            case PatternNode.Alternation alternation:
                EmitAlternation(alternation, code);
                break;
            case PatternNode.Repeat repeat:
                EmitRepeat(repeat, code);
                break;
            case PatternNode.Lookahead look:
                code.Add(new Instruction(OpCode.Look, SubProgram(look.Body), look.Negative ? 1 : 0));
                break;
            case PatternNode.Atomic atomic:
                code.Add(new Instruction(OpCode.Atomic, SubProgram(atomic.Body)));
                break;
            case PatternNode.Anchor anchor:
                code.Add(new Instruction(OpCode.Assert, (int)anchor.Kind));
                break;
            case PatternNode.Empty:
                break;
            default:
                throw new ArgumentException($"unknown pattern node {node.GetType().Name}");
        }
    }

    private void EmitAlternation(PatternNode.Alternation alternation, List<Instruction> code)
    {
        var jumpsToEnd = new List<int>();
        for (var k = 0; k < alternation.Options.Count; k++)
        {
            var isLast = k == alternation.Options.Count - 1;
            var split = -1;
            if (!isLast)
            {
                split = code.Count;
                code.Add(default); // patched below
            }

            Emit(alternation.Options[k], code);
            if (!isLast)
            {
                jumpsToEnd.Add(code.Count);
                code.Add(default);
                code[split] = new Instruction(OpCode.Split, split + 1, code.Count);
            }
        }

        foreach (var jump in jumpsToEnd)
        {
            code[jump] = new Instruction(OpCode.Jump, code.Count);
        }
    }

    private void EmitRepeat(PatternNode.Repeat repeat, List<Instruction> code)
    {
        if (repeat.Mode == RepeatMode.Possessive)
        {
            code.Add(new Instruction(OpCode.Atomic, SubProgram(repeat with { Mode = RepeatMode.Greedy })));
            return;
        }

        var body = repeat.Body;
        if (repeat.Mode == RepeatMode.Greedy && repeat.Max == -1 && repeat.Min <= 1 && SingleSet(body) is { } setIndex)
        {
            code.Add(new Instruction(OpCode.SetLoop, setIndex, repeat.Min));
            return;
        }

        for (var k = 0; k < repeat.Min; k++)
        {
            Emit(body, code);
        }

        var greedy = repeat.Mode == RepeatMode.Greedy;
        if (repeat.Max == -1)
        {
            if (body.Nullable)
            {
                throw new ArgumentException("an unbounded repetition of something that can match the empty string is not supported");
            }

            var loop = code.Count;
            code.Add(default);
            Emit(body, code);
            code.Add(new Instruction(OpCode.Jump, loop));
            code[loop] = greedy ? new Instruction(OpCode.Split, loop + 1, code.Count) : new Instruction(OpCode.Split, code.Count, loop + 1);
            return;
        }

        // Optional copies nested as x(?:x(?:x)?)?: once one is skipped, the rest are.
        var splits = new List<int>();
        for (var k = repeat.Min; k < repeat.Max; k++)
        {
            splits.Add(code.Count);
            code.Add(default);
            Emit(body, code);
        }

        foreach (var split in splits)
        {
            code[split] = greedy ? new Instruction(OpCode.Split, split + 1, code.Count) : new Instruction(OpCode.Split, code.Count, split + 1);
        }
    }

    private int? SingleSet(PatternNode body) => body switch
    {
        PatternNode.CharSet set => SetIndex(set.Set),
        PatternNode.Literal literal => LiteralSet(literal.CodePoint),
        _ => null,
    };
}
