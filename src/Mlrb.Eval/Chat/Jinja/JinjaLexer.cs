using System.Text;

namespace Mlrb.Eval.Chat.Jinja;

/// <summary>A piece of a template: literal text, an expression to print (<c>{{ }}</c>) or a statement (<c>{% %}</c>).</summary>
internal sealed record TemplatePiece(TemplatePieceKind Kind, string Text, int Line);

/// <summary>The kinds of <see cref="TemplatePiece"/>.</summary>
internal enum TemplatePieceKind
{
    Text,
    Output,
    Statement,
}

/// <summary>
/// Splits a template into pieces with Jinja's whitespace control as Hugging Face configures it: <c>-</c> markers strip
/// whitespace beside a tag, <c>trim_blocks</c> drops the first newline after a statement or comment, and
/// <c>lstrip_blocks</c> drops the spaces and tabs before a statement or comment that starts its line.
/// </summary>
internal static class JinjaLexer
{
    public static List<TemplatePiece> Split(string source)
    {
        var raw = new List<(TemplatePieceKind Kind, string Text, bool TrimBefore, bool TrimAfter, bool Plus, bool Comment, int Line)>();
        var i = 0;
        var text = new StringBuilder();
        var line = 1;
        while (i < source.Length)
        {
            if (source[i] == '{' && i + 1 < source.Length && source[i + 1] is '{' or '%' or '#')
            {
                var open = source[i + 1];
                var close = open == '{' ? "}}" : open == '%' ? "%}" : "#}";
                var start = i + 2;
                var trimBefore = start < source.Length && source[start] == '-';
                var plus = start < source.Length && source[start] == '+';
                if (trimBefore || plus)
                {
                    start++;
                }

                var end = FindClose(source, start, close, open == '#');
                if (end < 0)
                {
                    throw new ChatTemplateException($"line {line}: the tag opened here is never closed with '{close}'.");
                }

                var inner = source[start..end];
                var trimAfter = inner.EndsWith('-');
                if (trimAfter)
                {
                    inner = inner[..^1];
                }

                raw.Add((TemplatePieceKind.Text, text.ToString(), false, false, false, false, line));
                text.Clear();
                var kind = open == '{' ? TemplatePieceKind.Output : TemplatePieceKind.Statement;
                raw.Add((kind, inner.Trim(), trimBefore, trimAfter, plus, open == '#', line));
                line += source.AsSpan(i, end + 2 - i).Count('\n');
                i = end + 2;
                continue;
            }

            if (source[i] == '\n')
            {
                line++;
            }

            text.Append(source[i]);
            i++;
        }

        raw.Add((TemplatePieceKind.Text, text.ToString(), false, false, false, false, line));

        // Whitespace control, applied to the text pieces around each tag.
        var texts = raw.Select(r => r.Text).ToArray();
        for (var k = 0; k < raw.Count; k++)
        {
            var r = raw[k];
            if (r.Kind == TemplatePieceKind.Text)
            {
                continue;
            }

            var block = r.Kind == TemplatePieceKind.Statement;
            if (r.TrimBefore && k > 0)
            {
                texts[k - 1] = texts[k - 1].TrimEnd();
            }
            else if (block && !r.Plus && k > 0)
            {
                // lstrip_blocks: only spaces/tabs between the line start and the tag.
                // Decided on the source text (as Jinja's lexer does), applied to what earlier trimming left.
                var before = raw[k - 1].Text;
                var cut = before.Length;
                while (cut > 0 && before[cut - 1] is ' ' or '\t')
                {
                    cut--;
                }

                var atLineStart = cut > 0 ? before[cut - 1] == '\n' : k - 1 == 0;
                if (atLineStart)
                {
                    var current = texts[k - 1];
                    texts[k - 1] = current[..Math.Max(0, current.Length - (before.Length - cut))];
                }
            }

            if (r.TrimAfter && k + 1 < raw.Count)
            {
                texts[k + 1] = texts[k + 1].TrimStart();
            }
            else if (block && k + 1 < raw.Count)
            {
                // trim_blocks: the first newline after a statement or comment.
                var after = texts[k + 1];
                if (after.StartsWith("\r\n", StringComparison.Ordinal))
                {
                    texts[k + 1] = after[2..];
                }
                else if (after.StartsWith('\n'))
                {
                    texts[k + 1] = after[1..];
                }
            }
        }

        var pieces = new List<TemplatePiece>();
        for (var k = 0; k < raw.Count; k++)
        {
            if (raw[k].Comment)
            {
                continue;
            }

            if (raw[k].Kind == TemplatePieceKind.Text)
            {
                if (texts[k].Length > 0)
                {
                    pieces.Add(new TemplatePiece(TemplatePieceKind.Text, texts[k], raw[k].Line));
                }
            }
            else
            {
                pieces.Add(new TemplatePiece(raw[k].Kind, raw[k].Text, raw[k].Line));
            }
        }

        return pieces;
    }

    /// <summary>The index of <paramref name="close"/>, skipping quoted strings inside expressions.</summary>
    private static int FindClose(string source, int from, string close, bool comment)
    {
        char? quote = null;
        for (var i = from; i < source.Length - 1; i++)
        {
            var c = source[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            if (!comment && c is '\'' or '"')
            {
                quote = c;
                continue;
            }

            if (c == close[0] && source[i + 1] == close[1])
            {
                return i;
            }
        }

        return -1;
    }
}
