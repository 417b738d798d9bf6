namespace Mlrb.Eval.Chat.Jinja;

/// <summary>Recursive-descent parser of Jinja expressions (precedence: conditional, or, and, not, comparisons/tests, ~, + -, * / // %, **, unary, filters, postfix).</summary>
internal sealed class JinjaExpressionParser(List<JinjaToken> tokens, int line)
{
    private int _at;

    public JinjaToken Peek => tokens[_at];

    public bool AtEnd => Peek.Kind == JinjaTokenKind.End;

    public JinjaToken Next() => tokens[_at++];

    public bool IsName(string name) => Peek.Kind == JinjaTokenKind.Name && Peek.Text == name;

    public bool IsOp(string op) => Peek.Kind == JinjaTokenKind.Operator && Peek.Text == op;

    public bool AcceptName(string name)
    {
        if (IsName(name))
        {
            _at++;
            return true;
        }

        return false;
    }

    public bool AcceptOp(string op)
    {
        if (IsOp(op))
        {
            _at++;
            return true;
        }

        return false;
    }

    public void ExpectOp(string op)
    {
        if (!AcceptOp(op))
        {
            throw Error($"expected '{op}', found '{Peek.Text}'");
        }
    }

    public string ExpectName()
    {
        if (Peek.Kind != JinjaTokenKind.Name)
        {
            throw Error($"expected a name, found '{Peek.Text}'");
        }

        return Next().Text;
    }

    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw Error($"unexpected '{Peek.Text}'");
        }
    }

    public ChatTemplateException Error(string message) => new($"line {line}: {message}.");

    /// <summary>An expression, or a tuple when commas follow (as in <c>{% set a, b = ... %}</c> values).</summary>
    public JinjaExpression ParseTupleOrExpression()
    {
        var first = ParseExpression();
        if (!IsOp(","))
        {
            return first;
        }

        var items = new List<JinjaExpression> { first };
        while (AcceptOp(","))
        {
            if (AtEnd)
            {
                break;
            }

            items.Add(ParseExpression());
        }

        return new ListExpression(items);
    }

    /// <summary>An expression without a trailing <c>if … else …</c> (a for loop's iterable, before its filter).</summary>
    public JinjaExpression ParseExpressionNoConditional() => ParseOr();

    public JinjaExpression ParseExpression()
    {
        var e = ParseOr();
        if (AcceptName("if"))
        {
            var condition = ParseOr();
            JinjaExpression? otherwise = AcceptName("else") ? ParseExpression() : null;
            return new ConditionalExpression(condition, e, otherwise);
        }

        return e;
    }

    private JinjaExpression ParseOr()
    {
        var e = ParseAnd();
        while (AcceptName("or"))
        {
            e = new BinaryExpression("or", e, ParseAnd());
        }

        return e;
    }

    private JinjaExpression ParseAnd()
    {
        var e = ParseNot();
        while (AcceptName("and"))
        {
            e = new BinaryExpression("and", e, ParseNot());
        }

        return e;
    }

    private JinjaExpression ParseNot() => AcceptName("not") ? new NotExpression(ParseNot()) : ParseCompare();

    private JinjaExpression ParseCompare()
    {
        var e = ParseConcat();
        while (true)
        {
            if (Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                var op = Next().Text;
                e = new BinaryExpression(op, e, ParseConcat());
            }
            else if (AcceptName("in"))
            {
                e = new BinaryExpression("in", e, ParseConcat());
            }
            else if (IsName("not") && tokens[_at + 1].Kind == JinjaTokenKind.Name && tokens[_at + 1].Text == "in")
            {
                _at += 2;
                e = new BinaryExpression("notin", e, ParseConcat());
            }
            else if (AcceptName("is"))
            {
                var negated = AcceptName("not");
                var name = Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "==" or "!=" ? Next().Text : ExpectName();
                var args = new List<JinjaExpression>();
                if (AcceptOp("("))
                {
                    args = ParseArguments(out _);
                }
                else if (Peek.Kind is JinjaTokenKind.String or JinjaTokenKind.Number || (Peek.Kind == JinjaTokenKind.Name && Peek.Text is not ("and" or "or" or "else" or "if" or "is" or "in" or "not")))
                {
                    args.Add(ParsePostfix(ParsePrimary()));
                }

                e = new TestExpression(e, name, args, negated);
            }
            else
            {
                return e;
            }
        }
    }

    private JinjaExpression ParseConcat()
    {
        var e = ParseAdditive();
        while (AcceptOp("~"))
        {
            e = new BinaryExpression("~", e, ParseAdditive());
        }

        return e;
    }

    private JinjaExpression ParseAdditive()
    {
        var e = ParseMultiplicative();
        while (Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "+" or "-")
        {
            var op = Next().Text;
            e = new BinaryExpression(op, e, ParseMultiplicative());
        }

        return e;
    }

    private JinjaExpression ParseMultiplicative()
    {
        var e = ParsePower();
        while (Peek.Kind == JinjaTokenKind.Operator && Peek.Text is "*" or "/" or "//" or "%")
        {
            var op = Next().Text;
            e = new BinaryExpression(op, e, ParsePower());
        }

        return e;
    }

    private JinjaExpression ParsePower()
    {
        var e = ParseUnary();
        while (AcceptOp("**"))
        {
            e = new BinaryExpression("**", e, ParseUnary());
        }

        return e;
    }

    private JinjaExpression ParseUnary()
    {
        if (AcceptOp("-"))
        {
            return new NegateExpression(ParseUnary());
        }

        if (AcceptOp("+"))
        {
            return ParseUnary();
        }

        return ParseFilters(ParsePostfix(ParsePrimary()));
    }

    private JinjaExpression ParseFilters(JinjaExpression e)
    {
        while (AcceptOp("|"))
        {
            var name = ExpectName();
            var args = new List<JinjaExpression>();
            var kwargs = new List<(string, JinjaExpression)>();
            if (AcceptOp("("))
            {
                args = ParseArguments(out kwargs);
            }

            e = ParsePostfix(new FilterExpression(e, name, args, kwargs));
        }

        return e;
    }

    private JinjaExpression ParsePostfix(JinjaExpression e)
    {
        while (true)
        {
            if (AcceptOp("."))
            {
                e = new AttributeExpression(e, Peek.Kind == JinjaTokenKind.Number ? Next().Text : ExpectName());
            }
            else if (AcceptOp("["))
            {
                JinjaExpression? start = null, stop = null, step = null;
                if (!IsOp(":"))
                {
                    start = ParseExpression();
                }

                if (AcceptOp(":"))
                {
                    if (!IsOp("]") && !IsOp(":"))
                    {
                        stop = ParseExpression();
                    }

                    if (AcceptOp(":") && !IsOp("]"))
                    {
                        step = ParseExpression();
                    }

                    ExpectOp("]");
                    e = new SliceExpression(e, start, stop, step);
                }
                else
                {
                    ExpectOp("]");
                    e = new ItemExpression(e, start!);
                }
            }
            else if (AcceptOp("("))
            {
                var args = ParseArguments(out var kwargs);
                e = new CallExpression(e, args, kwargs);
            }
            else
            {
                return e;
            }
        }
    }

    /// <summary>Arguments after an opening parenthesis, through the closing one.</summary>
    public List<JinjaExpression> ParseArguments(out List<(string Name, JinjaExpression Value)> kwargs)
    {
        var args = new List<JinjaExpression>();
        kwargs = [];
        while (!AcceptOp(")"))
        {
            if (Peek.Kind == JinjaTokenKind.Name && tokens[_at + 1].Kind == JinjaTokenKind.Operator && tokens[_at + 1].Text == "=")
            {
                var name = Next().Text;
                _at++;
                kwargs.Add((name, ParseExpression()));
            }
            else
            {
                args.Add(ParseExpression());
            }

            if (!IsOp(")"))
            {
                ExpectOp(",");
            }
        }

        return args;
    }

    private JinjaExpression ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case JinjaTokenKind.String:
                var s = (string)t.Value!;
                while (Peek.Kind == JinjaTokenKind.String)
                {
                    s += (string)Next().Value!; // adjacent literals concatenate
                }

                return new LiteralExpression(s);
            case JinjaTokenKind.Number:
                return new LiteralExpression(t.Value);
            case JinjaTokenKind.Name:
                return t.Text switch
                {
                    "true" or "True" => new LiteralExpression(true),
                    "false" or "False" => new LiteralExpression(false),
                    "none" or "None" => new LiteralExpression(null),
                    _ => new NameExpression(t.Text),
                };
            case JinjaTokenKind.Operator when t.Text == "(":
                if (AcceptOp(")"))
                {
                    return new ListExpression([]);
                }

                var inner = ParseExpression();
                if (IsOp(","))
                {
                    var items = new List<JinjaExpression> { inner };
                    while (AcceptOp(",") && !IsOp(")"))
                    {
                        items.Add(ParseExpression());
                    }

                    inner = new ListExpression(items);
                }

                ExpectOp(")");
                return inner;
            case JinjaTokenKind.Operator when t.Text == "[":
                var list = new List<JinjaExpression>();
                while (!AcceptOp("]"))
                {
                    list.Add(ParseExpression());
                    if (!IsOp("]"))
                    {
                        ExpectOp(",");
                    }
                }

                return new ListExpression(list);
            case JinjaTokenKind.Operator when t.Text == "{":
                var pairs = new List<(JinjaExpression, JinjaExpression)>();
                while (!AcceptOp("}"))
                {
                    var key = ParseExpression();
                    ExpectOp(":");
                    pairs.Add((key, ParseExpression()));
                    if (!IsOp("}"))
                    {
                        ExpectOp(",");
                    }
                }

                return new DictExpression(pairs);
            default:
                throw Error($"unexpected '{t.Text}'");
        }
    }
}
