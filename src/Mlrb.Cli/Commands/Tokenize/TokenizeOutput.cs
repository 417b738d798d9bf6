using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mlrb.Eval.Tokenization;

namespace Mlrb.Cli.Commands.Tokenize;

/// <summary>Prints <c>mlrb tokenize</c> results as text or JSON.</summary>
internal static class TokenizeOutput
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes encoded ids: a line of ids, then one <c>id, token</c> line per token (or JSON <c>{ids, tokens, count}</c>).</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="tokenizer">The tokenizer (for token strings).</param>
    /// <param name="ids">The ids.</param>
    /// <param name="json">JSON instead of text.</param>
    public static void WriteEncoded(TextWriter output, ITokenizer tokenizer, IReadOnlyList<int> ids, bool json)
    {
        if (json)
        {
            WriteJson(output, writer =>
            {
                WriteIds(writer, ids);
                writer.WriteStartArray("tokens");
                foreach (var id in ids)
                {
                    writer.WriteStringValue(tokenizer.IdToToken(id));
                }

                writer.WriteEndArray();
                writer.WriteNumber("count", ids.Count);
            });
            return;
        }

        output.WriteLine(string.Join(' ', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))));
        foreach (var id in ids)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id,8}  {Visible(tokenizer.IdToToken(id))}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ids.Count} tokens"));
    }

    /// <summary>Writes decoded text (or JSON <c>{ids, text}</c>).</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="ids">The ids.</param>
    /// <param name="text">The decoded text.</param>
    /// <param name="json">JSON instead of text.</param>
    public static void WriteDecoded(TextWriter output, ITokenizer tokenizer, IReadOnlyList<int> ids, string text, bool json)
    {
        if (json)
        {
            WriteJson(output, writer =>
            {
                WriteIds(writer, ids);
                writer.WriteString("text", text);
                writer.WriteStartArray("unknown_ids");
                foreach (var id in ids.Where(i => tokenizer.IdToToken(i) is null))
                {
                    writer.WriteNumberValue(id);
                }

                writer.WriteEndArray();
            });
            return;
        }

        output.WriteLine(text);
    }

    private static void WriteIds(Utf8JsonWriter writer, IReadOnlyList<int> ids)
    {
        writer.WriteStartArray("ids");
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
    }

    private static void WriteJson(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A token string with control characters escaped, so each token stays on its line.</summary>
    private static string Visible(string? token)
    {
        if (token is null)
        {
            return "(unknown id)";
        }

        var sb = new StringBuilder(token.Length + 2);
        foreach (var c in token)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
