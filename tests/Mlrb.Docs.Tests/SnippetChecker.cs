using System.Text.RegularExpressions;

namespace Mlrb.Docs.Tests;

/// <summary>
/// Checks that each C# block of a markdown page is a verbatim copy of the file named by the
/// <c>&lt;!-- snippet: PATH --&gt;</c> line before it (PATH relative to the repository root).
/// </summary>
internal static partial class SnippetChecker
{
    private static readonly string[] CSharpFences = ["csharp", "cs", "c#"];

    /// <summary>The snippet files a page names, in order.</summary>
    public static IEnumerable<string> SnippetPaths(string markdown) =>
        Marker().Matches(markdown).Select(m => m.Groups["path"].Value.Trim());

    /// <summary>Problems in one page, each starting with <c>page:line</c>; empty when the page is in order.</summary>
    /// <param name="page">The page's path relative to the repository (for messages).</param>
    /// <param name="markdown">The page's text.</param>
    /// <param name="readFile">Reads a repository file by relative path; null when it does not exist.</param>
    public static List<string> Check(string page, string markdown, Func<string, string?> readFile)
    {
        var problems = new List<string>();
        var lines = Normalize(markdown).Split('\n');
        string? pendingPath = null;
        var pendingLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var marker = Marker().Match(line);
            if (marker.Success)
            {
                if (pendingPath is not null)
                {
                    problems.Add($"{page}:{pendingLine}: the snippet marker for {pendingPath} is not followed by a C# block");
                }

                (pendingPath, pendingLine) = (marker.Groups["path"].Value.Trim(), i + 1);
                continue;
            }

            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                if (line.Length > 0 && pendingPath is not null)
                {
                    problems.Add($"{page}:{pendingLine}: the snippet marker for {pendingPath} is not followed by a C# block");
                    pendingPath = null;
                }

                continue;
            }

            // A fenced block: find its end.
            var language = line[3..].Trim().ToLowerInvariant();
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].Trim().StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            if (end == lines.Length)
            {
                problems.Add($"{page}:{i + 1}: a ``` block is never closed");
                return problems;
            }

            var body = string.Join('\n', lines[start..end]);
            if (CSharpFences.Contains(language))
            {
                if (pendingPath is null)
                {
                    problems.Add($"{page}:{i + 1}: a C# block without a `<!-- snippet: samples/DocsExamples/File.cs -->` line before it; put the code in a compiled file and name it there");
                }
                else if (readFile(pendingPath) is not { } file)
                {
                    problems.Add($"{page}:{pendingLine}: the snippet file {pendingPath} does not exist");
                }
                else if (Normalize(file).TrimEnd('\n') != body.TrimEnd('\n'))
                {
                    problems.Add($"{page}:{i + 1}: the C# block differs from {pendingPath} at {FirstDifference(Normalize(file).TrimEnd('\n'), body.TrimEnd('\n'))}; copy the file into the page again");
                }
            }
            else if (pendingPath is not null)
            {
                problems.Add($"{page}:{pendingLine}: the snippet marker for {pendingPath} is followed by a ```{language} block, not a C# one");
            }

            pendingPath = null;
            i = end;
        }

        if (pendingPath is not null)
        {
            problems.Add($"{page}:{pendingLine}: the snippet marker for {pendingPath} is not followed by a C# block");
        }

        return problems;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length || i >= b.Length || a[i] != b[i])
            {
                return $"line {i + 1} of the file";
            }
        }

        return "the end";
    }

    [GeneratedRegex(@"^\s*<!--\s*snippet:\s*(?<path>[^\s>]+)\s*-->\s*$", RegexOptions.Multiline)]
    private static partial Regex Marker();
}
