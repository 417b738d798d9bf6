using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Planning;

/// <summary>Reads a structured-output reply: the JSON object in the reply text (fences and prose around it are tolerated).</summary>
internal static class StructuredReply
{
    /// <summary>Parses the first JSON object in <paramref name="text"/> as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="text">The reply text.</param>
    /// <param name="error">Why parsing failed.</param>
    /// <returns>The value or null.</returns>
    public static T? TryParse<T>(string? text, out string? error)
        where T : class
    {
        error = null;
        var start = text?.IndexOf('{', StringComparison.Ordinal) ?? -1;
        var end = text?.LastIndexOf('}') ?? -1;
        if (text is null || start < 0 || end <= start)
        {
            error = "the reply contains no JSON object";
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(text.AsSpan(start, end - start + 1), AIJsonUtilities.DefaultOptions);
            if (value is null)
            {
                error = "the JSON object is empty";
            }

            return value;
        }
        catch (JsonException ex)
        {
            error = "the JSON does not match the schema: " + ex.Message;
            return null;
        }
    }
}
