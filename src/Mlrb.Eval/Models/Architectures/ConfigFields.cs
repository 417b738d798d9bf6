using System.Globalization;
using System.Text.Json;

namespace Mlrb.Eval.Models.Architectures;

/// <summary>Typed access to the fields of a <c>config.json</c>; every problem is a <see cref="ModelFormatException"/> naming the file and field.</summary>
internal sealed class ConfigFields(string path, JsonElement root)
{
    /// <summary>The config file.</summary>
    public string Path { get; } = path;

    /// <summary>The JSON object.</summary>
    public JsonElement Root { get; } = root;

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string name) => Root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string name)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(name, $"expected a string, found {v.GetRawText()}.");
    }

    public int? Int(string name) => Int(Root, name);

    public int RequiredInt(string name)
    {
        var value = Int(name) ?? throw Error(name, "required field is missing.");
        return value > 0 ? value : throw Error(name, string.Create(CultureInfo.InvariantCulture, $"must be positive, found {value}."));
    }

    public double? Double(string name) => Double(Root, name, name);

    public bool? Bool(string name)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"expected true or false, found {v.GetRawText()}."),
        };
    }

    /// <summary>A nested object, or null when absent/null.</summary>
    public JsonElement? Object(string name)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Object ? v : throw Error(name, $"expected an object, found {v.GetRawText()}.");
    }

    /// <summary>A list of strings, or null when absent/null.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Error(name, $"expected a list of strings, found {v.GetRawText()}.");
        }

        return v.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>An integer field of a nested object.</summary>
    public int? Int(JsonElement owner, string name, string? displayName = null)
    {
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
        {
            return i;
        }

        // HF configs sometimes write integers as 4096.0.
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        throw Error(displayName ?? name, $"expected an integer, found {v.GetRawText()}.");
    }

    /// <summary>A number field of a nested object.</summary>
    public double? Double(JsonElement owner, string name, string displayName)
    {
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Error(displayName, $"expected a number, found {v.GetRawText()}.");
    }

    /// <summary>Refuses a field whose value changes the maths in a way this engine does not implement.</summary>
    /// <param name="name">Field.</param>
    /// <param name="isDefault">Whether the value present is one the engine honours.</param>
    /// <param name="why">What is unsupported.</param>
    public void Refuse(string name, Func<JsonElement, bool> isDefault, string why)
    {
        if (Root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null && !isDefault(v))
        {
            throw Error(name, $"{v.GetRawText()} is not supported: {why}");
        }
    }

    /// <summary>A <see cref="ModelFormatException"/> for <paramref name="field"/>.</summary>
    public ModelFormatException Error(string field, string message) => new(Path, field, message);
}
