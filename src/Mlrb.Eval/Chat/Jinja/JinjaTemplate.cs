using System.Text;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>
/// A compiled template of the Jinja subset Hugging Face chat templates use: text, <c>{{ }}</c>, <c>if/elif/else</c>,
/// <c>for</c> (with <c>loop</c>, unpacking, a filter condition, <c>else</c>, <c>break</c>/<c>continue</c>), <c>set</c>
/// (names, tuples, namespace attributes, blocks), <c>macro</c>, and <c>generation</c> blocks (rendered as their content).
/// </summary>
internal sealed class JinjaTemplate
{
    private readonly List<JinjaNode> _body;

    private JinjaTemplate(List<JinjaNode> body) => _body = body;

    /// <summary>Names the template reads anywhere (to tell whether it uses <c>tools</c>).</summary>
    public HashSet<string> ReferencedNames { get; } = new(StringComparer.Ordinal);

    public static JinjaTemplate Parse(string source)
    {
        var pieces = JinjaLexer.Split(source);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var at = 0;
        var body = ParseBody(pieces, ref at, [], names, out var end);
        if (end is not null)
        {
            throw new ChatTemplateException($"line {pieces[at - 1].Line}: unexpected '{{% {end} %}}'.");
        }

        var template = new JinjaTemplate(body);
        template.ReferencedNames.UnionWith(names);
        return template;
    }

    public string Render(Dictionary<string, object?> variables)
    {
        var scope = new JinjaScope(null);
        foreach (var (k, v) in variables)
        {
            scope.Set(k, v);
        }

        var output = new StringBuilder();
        JinjaNode.Run(_body, new JinjaScope(scope), output);
        return output.ToString();
    }

    private static List<JinjaNode> ParseBody(List<TemplatePiece> pieces, ref int at, string[] ends, HashSet<string> names, out string? end)
        => ParseBody(pieces, ref at, ends, names, out end, out _);

    private static List<JinjaNode> ParseBody(List<TemplatePiece> pieces, ref int at, string[] ends, HashSet<string> names, out string? end, out JinjaExpressionParser? endStatement)
    {
        var nodes = new List<JinjaNode>();
        while (at < pieces.Count)
        {
            var piece = pieces[at++];
            switch (piece.Kind)
            {
                case TemplatePieceKind.Text:
                    nodes.Add(new TextNode(piece.Text));
                    continue;
                case TemplatePieceKind.Output:
                    var p = Parser(piece, names);
                    var e = p.ParseExpression();
                    p.ExpectEnd();
                    nodes.Add(new OutputNode(e));
                    continue;
            }

            var parser = Parser(piece, names);
            var keyword = parser.ExpectName();
            if (ends.Contains(keyword))
            {
                end = keyword;
                endStatement = parser;
                return nodes;
            }

            nodes.Add(keyword switch
            {
                "if" => ParseIf(parser, pieces, ref at, names),
                "for" => ParseFor(parser, pieces, ref at, names, piece.Line),
                "set" => ParseSet(parser, pieces, ref at, names),
                "macro" => ParseMacro(parser, pieces, ref at, names),
                "break" => End(parser, new FlowNode(JinjaFlow.Break)),
                "continue" => End(parser, new FlowNode(JinjaFlow.Continue)),
                "generation" => new BlockNode(Expect(pieces, ref at, names, "endgeneration", piece.Line)),
                "raw" => throw parser.Error("'raw' blocks are not supported"),
                _ => throw parser.Error($"unknown statement '{keyword}'"),
            });
        }

        end = null;
        endStatement = null;
        if (ends.Length > 0)
        {
            throw new ChatTemplateException($"the template ends before '{{% {ends[^1]} %}}'.");
        }

        return nodes;
    }

    private static JinjaNode End(JinjaExpressionParser parser, JinjaNode node)
    {
        parser.ExpectEnd();
        return node;
    }

    private static List<JinjaNode> Expect(List<TemplatePiece> pieces, ref int at, HashSet<string> names, string endKeyword, int line)
    {
        var body = ParseBody(pieces, ref at, [endKeyword], names, out var end);
        if (end != endKeyword)
        {
            throw new ChatTemplateException($"line {line}: missing '{{% {endKeyword} %}}'.");
        }

        return body;
    }

    private static JinjaExpressionParser Parser(TemplatePiece piece, HashSet<string> names)
    {
        var tokens = JinjaTokenizer.Tokenize(piece.Text, piece.Line);
        foreach (var t in tokens.Where(t => t.Kind == JinjaTokenKind.Name))
        {
            names.Add(t.Text);
        }

        return new JinjaExpressionParser(tokens, piece.Line);
    }

    private static IfNode ParseIf(JinjaExpressionParser parser, List<TemplatePiece> pieces, ref int at, HashSet<string> names)
    {
        var branches = new List<(JinjaExpression, List<JinjaNode>)>();
        var condition = parser.ParseExpression();
        parser.ExpectEnd();
        while (true)
        {
            var body = ParseBody(pieces, ref at, ["elif", "else", "endif"], names, out var end, out var p);
            branches.Add((condition, body));
            switch (end)
            {
                case "elif":
                    condition = p!.ParseExpression();
                    p.ExpectEnd();
                    continue;
                case "else":
                    p!.ExpectEnd();
                    var otherwise = ParseBody(pieces, ref at, ["endif"], names, out _);
                    return new IfNode(branches, otherwise);
                default:
                    return new IfNode(branches, []);
            }
        }
    }

    private static ForNode ParseFor(JinjaExpressionParser parser, List<TemplatePiece> pieces, ref int at, HashSet<string> names, int line)
    {
        var targets = new List<string> { parser.ExpectName() };
        while (parser.AcceptOp(","))
        {
            targets.Add(parser.ExpectName());
        }

        if (!parser.AcceptName("in"))
        {
            throw parser.Error("expected 'in' in the for statement");
        }

        // The iterable stops before a trailing 'if' (the loop filter), so parse below the conditional level.
        var iterable = parser.ParseExpressionNoConditional();
        JinjaExpression? filter = null;
        if (parser.AcceptName("if"))
        {
            filter = parser.ParseExpression();
        }

        parser.AcceptName("recursive");
        parser.ExpectEnd();
        var body = ParseBody(pieces, ref at, ["else", "endfor"], names, out var end);
        var otherwise = new List<JinjaNode>();
        if (end == "else")
        {
            otherwise = ParseBody(pieces, ref at, ["endfor"], names, out end);
        }

        if (end != "endfor")
        {
            throw new ChatTemplateException($"line {line}: missing '{{% endfor %}}'.");
        }

        return new ForNode(targets, iterable, filter, body, otherwise);
    }

    private static JinjaNode ParseSet(JinjaExpressionParser parser, List<TemplatePiece> pieces, ref int at, HashSet<string> names)
    {
        var targets = new List<string> { parser.ExpectName() };
        string? attribute = null;
        if (parser.AcceptOp("."))
        {
            attribute = parser.ExpectName();
        }

        while (parser.AcceptOp(","))
        {
            targets.Add(parser.ExpectName());
        }

        if (parser.AtEnd && attribute is null && targets.Count == 1)
        {
            return new SetBlockNode(targets[0], ParseBody(pieces, ref at, ["endset"], names, out _));
        }

        parser.ExpectOp("=");
        var value = parser.ParseTupleOrExpression();
        parser.ExpectEnd();
        return new SetNode(targets, attribute, value);
    }

    private static MacroNode ParseMacro(JinjaExpressionParser parser, List<TemplatePiece> pieces, ref int at, HashSet<string> names)
    {
        var name = parser.ExpectName();
        parser.ExpectOp("(");
        var parameters = new List<(string, JinjaExpression?)>();
        while (!parser.AcceptOp(")"))
        {
            var p = parser.ExpectName();
            JinjaExpression? fallback = parser.AcceptOp("=") ? parser.ParseExpression() : null;
            parameters.Add((p, fallback));
            if (!parser.IsOp(")"))
            {
                parser.ExpectOp(",");
            }
        }

        parser.ExpectEnd();
        return new MacroNode(name, parameters, ParseBody(pieces, ref at, ["endmacro"], names, out _));
    }
}
