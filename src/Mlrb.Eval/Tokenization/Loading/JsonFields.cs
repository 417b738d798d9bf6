using System.Text.Json;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Typed access to JSON fields that reports the file and the field path on error.</summary>
/// <param name="File">The file name used in messages.</param>
internal sealed record JsonFields(string File)
{
    /// <summary>Parses a JSON document, turning syntax errors into a <see cref="TokenizerLoadException"/> with line and column.</summary>
    /// <param name="stream">The JSON.</param>
    /// <returns>The document.</returns>
    public JsonDocument Parse(Stream stream)
    {
        try
        {
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new TokenizerLoadException(File, null, $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }

    /// <summary>A child element that must exist (it may be JSON null).</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="path">The parent's path.</param>
    /// <returns>The child.</returns>
    public JsonElement Required(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected an object, found {element.ValueKind}");
        }

        if (!element.TryGetProperty(name, out var child))
        {
            throw Error(Join(path, name), "is missing");
        }

        return child;
    }

    /// <summary>A child element, or null when absent or JSON null.</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <returns>The child, or null.</returns>
    public static JsonElement? Optional(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null ? child : null;

    /// <summary>A string field that must be present.</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="path">The parent's path.</param>
    /// <returns>The string.</returns>
    public string RequiredString(JsonElement element, string name, string path)
    {
        var child = Required(element, name, path);
        return child.ValueKind == JsonValueKind.String ? child.GetString()! : throw Error(Join(path, name), $"expected a string, found {child.ValueKind}");
    }

    /// <summary>An optional string field.</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="path">The parent's path.</param>
    /// <returns>The string, or null.</returns>
    public string? OptionalString(JsonElement element, string name, string path)
    {
        var child = Optional(element, name);
        if (child is null)
        {
            return null;
        }

        return child.Value.ValueKind == JsonValueKind.String ? child.Value.GetString() : throw Error(Join(path, name), $"expected a string, found {child.Value.ValueKind}");
    }

    /// <summary>An optional boolean field.</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="path">The parent's path.</param>
    /// <returns>The value, or null when absent.</returns>
    public bool? OptionalBool(JsonElement element, string name, string path)
    {
        var child = Optional(element, name);
        if (child is null)
        {
            return null;
        }

        return child.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(Join(path, name), $"expected true or false, found {child.Value.ValueKind}"),
        };
    }

    /// <summary>An integer field that must be present.</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="path">The parent's path.</param>
    /// <returns>The value.</returns>
    public int RequiredInt(JsonElement element, string name, string path)
    {
        var child = Required(element, name, path);
        return child.ValueKind == JsonValueKind.Number && child.TryGetInt32(out var value) ? value : throw Error(Join(path, name), $"expected an integer, found {child}");
    }

    /// <summary>An optional integer field.</summary>
    /// <param name="element">The parent object.</param>
    /// <param name="name">The property.</param>
    /// <param name="path">The parent's path.</param>
    /// <returns>The value, or null.</returns>
    public int? OptionalInt(JsonElement element, string name, string path)
    {
        var child = Optional(element, name);
        if (child is null)
        {
            return null;
        }

        return child.Value.ValueKind == JsonValueKind.Number && child.Value.TryGetInt32(out var value) ? value : throw Error(Join(path, name), $"expected an integer, found {child.Value}");
    }

    /// <summary>Creates an error for a field.</summary>
    /// <param name="path">The field path.</param>
    /// <param name="message">What is wrong.</param>
    /// <returns>The exception.</returns>
    public TokenizerLoadException Error(string path, string message) => new(File, path, message);

    /// <summary>Joins a parent path and a property name.</summary>
    /// <param name="path">The parent path.</param>
    /// <param name="name">The property.</param>
    /// <returns>The child path.</returns>
    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
