using System.Globalization;
using System.Text.Json;

namespace Mlrb.Tools.Core;

/// <summary>Typed access to arguments that passed <see cref="ToolSchema.Validate"/>.</summary>
/// <param name="json">The validated arguments object.</param>
internal sealed class ToolArguments(JsonElement json)
{
    /// <summary>The string argument, or null when absent.</summary>
    /// <param name="name">Argument name.</param>
    /// <returns>The value.</returns>
    public string? String(string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The required string argument (validation guarantees it is present).</summary>
    /// <param name="name">Argument name.</param>
    /// <returns>The value.</returns>
    public string RequiredString(string name) => String(name) ?? throw new InvalidOperationException($"argument '{name}' is missing");

    /// <summary>The integer argument, or null when absent.</summary>
    /// <param name="name">Argument name.</param>
    /// <returns>The value.</returns>
    public long? Integer(string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>The boolean argument, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="name">Argument name.</param>
    /// <param name="fallback">Value when absent.</param>
    /// <returns>The value.</returns>
    public bool Boolean(string name, bool fallback = false) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : fallback;

    /// <summary>The name/value object argument, or null when absent; numbers keep their JSON spelling.</summary>
    /// <param name="name">Argument name.</param>
    /// <returns>The pairs.</returns>
    public IReadOnlyDictionary<string, string>? StringMap(string name)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in v.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => entry.Value.GetRawText(),
            };
        }

        return map;
    }

    /// <summary>A readable rendering of an integer, for messages.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Invariant text.</returns>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
