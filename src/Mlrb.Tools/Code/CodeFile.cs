using System.Text;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Code;

/// <summary>Reading, writing and occurrence counting shared by the code-editing tools.</summary>
internal static class CodeFile
{
    /// <summary>UTF-8 without a byte-order mark.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Resolves <paramref name="path"/> inside the workspace and reads the existing file.</summary>
    /// <param name="runtime">The tool runtime.</param>
    /// <param name="path">The path the model gave.</param>
    /// <param name="fullPath">The resolved path.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="error">Why it failed.</param>
    /// <returns>True when the file was read.</returns>
    public static bool TryRead(ToolRuntime runtime, string path, out string fullPath, out string text, out string error)
    {
        text = "";
        if (!runtime.Guard.TryResolve(path, out fullPath, out error))
        {
            return false;
        }

        switch (runtime.Files.KindOf(fullPath))
        {
            case Workspace.WorkspaceFiles.Kind.Folder:
                error = $"'{path}' is a folder, not a file.";
                return false;
            case Workspace.WorkspaceFiles.Kind.Missing:
                error = $"the file '{path}' does not exist (write it first with write_code).";
                return false;
        }

        text = Utf8.GetString(runtime.Files.ReadAllBytes(fullPath));
        return true;
    }

    /// <summary>Positions of the non-overlapping occurrences of <paramref name="target"/>.</summary>
    /// <param name="text">The text searched.</param>
    /// <param name="target">The snippet.</param>
    /// <returns>Start indices, in order.</returns>
    public static List<int> Occurrences(string text, string target)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(target, StringComparison.Ordinal); at >= 0; at = text.IndexOf(target, at + target.Length, StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }

    /// <summary>The 1-based line number of a character index.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">The index.</param>
    /// <returns>The line number.</returns>
    public static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Checks how many occurrences were found against what the call allows.</summary>
    /// <param name="found">The occurrences.</param>
    /// <param name="text">The file text (for line numbers).</param>
    /// <param name="path">The path, for the message.</param>
    /// <param name="argument">The argument that holds the snippet.</param>
    /// <param name="all">Whether the call acts on every occurrence.</param>
    /// <returns>Null when the edit may go ahead, else the problem.</returns>
    public static string? CheckCount(List<int> found, string text, string path, string argument, bool all)
    {
        if (found.Count == 0)
        {
            return $"'{argument}' was not found in '{path}'; nothing was changed. Read the file to copy the exact text (whitespace matters).";
        }

        if (found.Count > 1 && !all)
        {
            var lines = string.Join(", ", found.Take(10).Select(i => LineOf(text, i)));
            return $"'{argument}' occurs {found.Count} times in '{path}' (lines {lines}); nothing was changed. Give a longer, unique snippet or set all_occurrences to true.";
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="fullPath"/>, creating folders, through a temporary file renamed
    /// into place beneath the workspace (see <see cref="Workspace.WorkspaceFiles"/>).
    /// </summary>
    /// <param name="runtime">The tool runtime.</param>
    /// <param name="fullPath">A resolved path.</param>
    /// <param name="text">The content.</param>
    /// <param name="cancellationToken">Cancels the write before it starts.</param>
    /// <returns>A task.</returns>
    public static Task WriteAsync(ToolRuntime runtime, string fullPath, string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = Utf8.GetBytes(text);
        if (Processes.WorkspaceUsage.OverLimit(runtime.Guard.Root, runtime.Options.Limits.MaxWorkspaceBytes, bytes.Length) is { } full)
        {
            throw new IOException(full + " Nothing was written.");
        }

        runtime.Files.WriteAllBytes(fullPath, bytes);
        return Task.CompletedTask;
    }

    /// <summary>"1 occurrence" / "3 occurrences".</summary>
    /// <param name="count">How many.</param>
    /// <returns>The phrase.</returns>
    public static string Occurrences(int count) => count == 1 ? "1 occurrence" : $"{count} occurrences";
}
