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

        var kind = runtime.Files.KindOf(full);
        if (kind == Workspace.WorkspaceFiles.Kind.Folder)
        {
            return Fail($"{Name}: '{path}' is a folder, not a file.");
        }

        if (arguments.RequiredString("action") == "read")
        {
            if (kind == Workspace.WorkspaceFiles.Kind.Missing)
            {
                return Ok($"The notes file {runtime.Guard.Relative(full)} is empty (nothing written yet).");
            }

            var notes = CodeFile.Utf8.GetString(runtime.Files.ReadAllBytes(full));
            return Ok(runtime.Cap(notes));
        }

        var note = arguments.String("note");
        if (string.IsNullOrWhiteSpace(note))
        {
            return Fail($"{Name}: 'note' must hold the text to write when action is 'write'.");
        }

        // Read and replace rather than append in place: an append would follow a hard link or a swapped symlink.
        var before = kind == Workspace.WorkspaceFiles.Kind.File ? runtime.Files.ReadAllBytes(full) : [];
        await CodeFile.WriteAsync(runtime, full, CodeFile.Utf8.GetString(before) + (note.EndsWith('\n') ? note : note + "\n"), cancellationToken).ConfigureAwait(false);
        return Ok($"Note added to {runtime.Guard.Relative(full)}.");
    }
}
