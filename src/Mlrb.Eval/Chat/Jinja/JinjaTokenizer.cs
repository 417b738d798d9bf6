using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>A token of a Jinja expression.</summary>
internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Text, object? Value = null);

/// <summary>The kinds of <see cref="JinjaToken"/>.</summary>
internal enum JinjaTokenKind
{
    Name,
    String,
    Number,
    Operator,
    End,
}

/// <summary>Splits the inside of a <c>{{ }}</c> or <c>{% %}</c> tag into tokens.</summary>
internal static class JinjaTokenizer
{
    private static readonly string[] Operators = ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "="];

    public static List<JinjaToken> Tokenize(string source, int line)
    {
        var tokens = new List<JinjaToken>();
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new JinjaToken(JinjaTokenKind.Name, source[start..i]));
                continue;
            }

            if (char.IsDigit(c))
            {
                var start = i;
                while (i < source.Length && (char.IsDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                var isFloat = false;
                if (i + 1 < source.Length && source[i] == '.' && char.IsDigit(source[i + 1]))
                {
                    isFloat = true;
                    i++;
                    while (i < source.Length && char.IsDigit(source[i]))
                    {
                        i++;
                    }
                }

                if (i < source.Length && source[i] is 'e' or 'E')
                {
                    isFloat = true;
                    i++;
                    if (i < source.Length && source[i] is '+' or '-')
                    {
                        i++;
                    }

                    while (i < source.Length && char.IsDigit(source[i]))
                    {
                        i++;
                    }
                }

                var text = source[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
                tokens.Add(new JinjaToken(JinjaTokenKind.Number, text, isFloat ? (object)double.Parse(text, CultureInfo.InvariantCulture) : long.Parse(text, CultureInfo.InvariantCulture)));
                continue;
            }

            if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= source.Length)
                    {
                        throw new ChatTemplateException($"line {line}: unterminated string.");
                    }

                    var d = source[i];
                    if (d == c)
                    {
                        i++;
                        break;
                    }

                    if (d == '\\' && i + 1 < source.Length)
                    {
                        var e = source[i + 1];
                        i += 2;
                        switch (e)
                        {
                            case 'n': sb.Append('\n'); break;
                            case 't': sb.Append('\t'); break;
                            case 'r': sb.Append('\r'); break;
                            case '\\': sb.Append('\\'); break;
                            case '\'': sb.Append('\''); break;
                            case '"': sb.Append('"'); break;
                            case 'u' when i + 4 <= source.Length:
                                sb.Append((char)int.Parse(source.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                                i += 4;
                                break;
                            case 'x' when i + 2 <= source.Length:
                                sb.Append((char)int.Parse(source.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                                i += 2;
                                break;
                            default: sb.Append('\\').Append(e); break;
                        }

                        continue;
                    }

                    sb.Append(d);
                    i++;
                }

                tokens.Add(new JinjaToken(JinjaTokenKind.String, sb.ToString(), sb.ToString()));
                continue;
            }

            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, i, o, 0, o.Length) == 0)
                ?? throw new ChatTemplateException($"line {line}: unexpected character '{c}'.");
            tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op));
            i += op.Length;
        }

        tokens.Add(new JinjaToken(JinjaTokenKind.End, string.Empty));
        return tokens;
    }
}
