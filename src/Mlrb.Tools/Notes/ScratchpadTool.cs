using Mlrb.Tools.Code;
using Mlrb.Tools.Core;

namespace Mlrb.Tools.Notes;

/// <summary><c>scratchpad</c>: appends a note to, or reads, a notes file in the workspace.</summary>
internal sealed class ScratchpadTool(ToolRuntime runtime) : ToolBase(
    "scratchpad",
    "Write a note to, or read, your notes file. Use it to track progress and keep important information.",
    new ToolSchema(
        new ToolParameter("path", ParameterKind.String, "Path of the notes file (default scratchpad.txt in the working directory).", false) { NonEmpty = true },
        new ToolParameter("note", ParameterKind.String, "The note to append when writing; \"\" when reading.", false),
        new ToolParameter("action", ParameterKind.String, "Either 'write' or 'read'.", true) { AllowedValues = ["write", "read"] }))
{
    /// <summary>The notes file used when the call names none.</summary>
    public const string DefaultPath = "scratchpad.txt";

    /// <inheritdoc />
    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.String("path") ?? DefaultPath;
        if (!runtime.Guard.TryResolve(path, out var full, out var error))
        {
            return Fail($"{Name}: {error}");
        }

        if (Directory.Exists(full))
        {
            return Fail($"{Name}: '{path}' is a folder, not a file.");
        }

        if (arguments.RequiredString("action") == "read")
        {
            if (!File.Exists(full))
            {
                return Ok($"The notes file {runtime.Guard.Relative(full)} is empty (nothing written yet).");
            }

            var notes = await File.ReadAllTextAsync(full, CodeFile.Utf8, cancellationToken).ConfigureAwait(false);
            return Ok(runtime.Cap(notes));
        }

        var note = arguments.String("note");
        if (string.IsNullOrWhiteSpace(note))
        {
            return Fail($"{Name}: 'note' must hold the text to write when action is 'write'.");
        }

        var folder = Path.GetDirectoryName(full);
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await File.AppendAllTextAsync(full, note.EndsWith('\n') ? note : note + "\n", CodeFile.Utf8, cancellationToken).ConfigureAwait(false);
        return Ok($"Note added to {runtime.Guard.Relative(full)}.");
    }
}
