using System.Text.Json;
using System.Text.Json.Serialization;
using Mlrb.Tasks.Runs;

namespace Mlrb.Tasks.Results;

/// <summary>Writes outcomes by their snake_case names (<c>no_submission</c>) and reads them back.</summary>
internal sealed class RunOutcomeJsonConverter : JsonConverter<RunOutcome?>
{
    public override bool HandleNull => true;

    public override RunOutcome? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Null ? null
            : RunOutcomes.TryParse(reader.GetString(), out var outcome) ? outcome
            : throw new JsonException($"'{reader.GetString()}' is not a run outcome.");

    public override void Write(Utf8JsonWriter writer, RunOutcome? value, JsonSerializerOptions options)
    {
        if (value is { } outcome)
        {
            writer.WriteStringValue(outcome.ToName());
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
