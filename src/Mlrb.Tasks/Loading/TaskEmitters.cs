using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mlrb.Tasks.Loading;

/// <summary>Writes <see cref="Fields"/> as YAML or JSON. Null values are left out.</summary>
internal static class TaskEmitters
{
    public static string ToYaml(Fields fields)
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings().WithBestWidth(120));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitYaml(emitter, fields);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    public static string ToJson(Fields fields, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer, fields);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes <paramref name="value"/> (fields, a list or a scalar) to a JSON writer.</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case Fields fields:
                writer.WriteStartObject();
                foreach (var (key, item) in fields.Where(f => f.Value is not null))
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }

                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void EmitYaml(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case Fields fields:
                emitter.Emit(new MappingStart());
                foreach (var (key, item) in fields.Where(f => f.Value is not null))
                {
                    emitter.Emit(new Scalar(key));
                    EmitYaml(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case List<object?> list:
                var flow = list.Count == 0 || list.All(i => i is string { Length: < 30 } s && !s.Contains(',', StringComparison.Ordinal));
                emitter.Emit(new SequenceStart(null, null, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    EmitYaml(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case long number:
                emitter.Emit(new Scalar(number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            default:
                emitter.Emit(TextScalar(value?.ToString() ?? string.Empty));
                break;
        }
    }

    private static Scalar TextScalar(string text)
    {
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return new Scalar(null, null, text, ScalarStyle.Literal, true, false);
        }

        // Strings a YAML reader would take for null must stay quoted.
        return text is "" or "~" or "null" or "Null" or "NULL"
            ? new Scalar(null, null, text, ScalarStyle.DoubleQuoted, true, true)
            : new Scalar(text);
    }
}
