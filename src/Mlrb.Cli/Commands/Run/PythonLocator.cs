using System.Diagnostics.CodeAnalysis;

namespace Mlrb.Cli.Commands.Run;

/// <summary>Turns <c>--python</c> into an interpreter: a path to an interpreter, a virtual environment folder, or a name looked up on PATH.</summary>
internal static class PythonLocator
{
    /// <summary>Resolves the value.</summary>
    /// <param name="value">What the user gave.</param>
    /// <param name="executable">The interpreter: an absolute path, or the bare name when it is one (looked up on PATH when used).</param>
    /// <param name="error">Why not, in words.</param>
    /// <returns>Whether it resolved.</returns>
    public static bool TryResolve(string value, [NotNullWhen(true)] out string? executable, [NotNullWhen(false)] out string? error)
    {
        executable = null;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "give an interpreter or a virtual environment folder.";
            return false;
        }

        var isPath = value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || Directory.Exists(value);
        if (!isPath)
        {
            executable = value;
            return true;
        }

        var full = Path.GetFullPath(value);
        if (Directory.Exists(full))
        {
            string[] candidates = OperatingSystem.IsWindows()
                ? [Path.Combine(full, "Scripts", "python.exe"), Path.Combine(full, "python.exe")]
                : [Path.Combine(full, "bin", "python3"), Path.Combine(full, "bin", "python")];
            executable = candidates.FirstOrDefault(File.Exists);
            if (executable is null)
            {
                error = $"'{full}' is a folder without {string.Join(" or ", candidates.Select(c => Path.GetRelativePath(full, c)))}: not a virtual environment.";
                return false;
            }

            // Keep the venv's own path (not the symlink's target): Python finds its site-packages from it.
            return true;
        }

        if (!File.Exists(full))
        {
            error = $"'{full}' does not exist.";
            return false;
        }

        executable = full;
        return true;
    }
}
