using System.Text.RegularExpressions;

namespace Mlrb.Tasks.Prompts;

/// <summary>Fills <c>{{token}}</c> placeholders; an unknown or empty token is a bug and throws.</summary>
internal static partial class Template
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Token().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"Prompt template token '{name}' has no value.");
            }

            return string.IsNullOrWhiteSpace(value)
                ? throw new InvalidOperationException($"Prompt template token '{name}' rendered empty.")
                : value;
        });

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
