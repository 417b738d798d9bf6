using System.Text.Json;

namespace Mlrb.Eval.Data;

/// <summary>Typed access to one JSON object row; a missing or mistyped field names itself in the error.</summary>
internal readonly struct JsonRow
{
    public JsonRow(JsonElement element) => Element = element;

    public JsonElement Element { get; }

    public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement Get(string name)
    {
        if (Element.ValueKind != JsonValueKind.Object)
        {
            throw new RowFormatException($"expected a JSON object, found {Element.ValueKind}");
        }

        if (!Element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new RowFormatException($"missing field '{name}'");
        }

        return value;
    }

    public JsonRow Object(string name)
    {
        var v = Get(name);
        return v.ValueKind == JsonValueKind.Object ? new JsonRow(v) : throw new RowFormatException($"field '{name}' must be an object");
    }

    public string String(string name)
    {
        var v = Get(name);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new RowFormatException($"field '{name}' must be a string, found {v.ValueKind}");
    }

    public int Int(string name)
    {
        var v = Get(name);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw new RowFormatException($"field '{name}' must be an integer, found {v.GetRawText()}");
    }

    /// <summary>A boolean given as true/false, 0/1 or "True"/"False".</summary>
    public bool Bool(string name)
    {
        var v = Get(name);
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number when v.TryGetInt32(out var i) && (i == 0 || i == 1):
                return i == 1;
            case JsonValueKind.String when bool.TryParse(v.GetString(), out var b):
                return b;
            default:
                throw new RowFormatException($"field '{name}' must be a boolean (true/false or 0/1), found {v.GetRawText()}");
        }
    }

    public List<string> Strings(string name)
    {
        var v = Get(name);
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new RowFormatException($"field '{name}' must be an array of strings");
        }

        var list = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new RowFormatException($"field '{name}' must hold strings only"));
        }

        return list;
    }

    public List<JsonRow> Objects(string name)
    {
        var v = Get(name);
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new RowFormatException($"field '{name}' must be an array");
        }

        return v.EnumerateArray().Select(e => new JsonRow(e)).ToList();
    }
}
