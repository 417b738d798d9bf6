using Microsoft.Extensions.Options;

namespace Mlrb.Tasks;

/// <summary>Checks <see cref="MlrbTasksOptions"/>; every problem is named with the option and its value.</summary>
internal sealed class MlrbTasksOptionsValidator : IValidateOptions<MlrbTasksOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MlrbTasksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        CheckPath(problems, nameof(MlrbTasksOptions.WorkspaceRoot), options.WorkspaceRoot);
        CheckPath(problems, nameof(MlrbTasksOptions.DatabasePath), options.DatabasePath);
        if (string.IsNullOrWhiteSpace(options.ScratchpadFileName)
            || options.ScratchpadFileName.IndexOfAny(['/', '\\']) >= 0
            || options.ScratchpadFileName is "." or "..")
        {
            problems.Add($"MlrbTasksOptions.ScratchpadFileName must be a plain file name (is '{options.ScratchpadFileName}').");
        }

        foreach (var directory in options.TaskDirectories)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                problems.Add("MlrbTasksOptions.TaskDirectories holds an empty folder name.");
            }
            else if (!Directory.Exists(directory))
            {
                problems.Add($"MlrbTasksOptions.TaskDirectories names '{directory}', which is not a folder ({Path.GetFullPath(directory)}).");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckPath(List<string> problems, string option, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"MlrbTasksOptions.{option} must name a path (is '{value}').");
        }
        else if (value.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add($"MlrbTasksOptions.{option} holds a NUL character.");
        }
    }
}
