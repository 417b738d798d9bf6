using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlrb.Cli.Viewer.Data;

/// <summary>
/// The evaluation reports (<c>*.json</c> with <c>subtasks</c>) directly inside the results folder. Requests name a report by
/// file name, which is matched against this listing, never joined onto a path, so nothing outside the folder can be read.
/// </summary>
internal sealed class ReportFolder
{
    private const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Creates the folder view.</summary>
    public ReportFolder(string? path) => FolderPath = path is null ? null : Path.GetFullPath(path);

    /// <summary>The folder, or null when none was given.</summary>
    public string? FolderPath { get; }

    /// <summary>Every readable report, newest first.</summary>
    public IReadOnlyList<ReportFile> List()
    {
        if (FolderPath is null || !Directory.Exists(FolderPath))
        {
            return [];
        }

        return Directory.EnumerateFiles(FolderPath, "*.json", SearchOption.TopDirectoryOnly)
            .Select(f => new FileInfo(f))
            .Where(f => f.Length <= MaxBytes && (f.Attributes & FileAttributes.ReparsePoint) == 0)
            .Select(f => Load(f.FullName))
            .OfType<ReportFile>()
            .OrderByDescending(r => r.Modified)
            .ToList();
    }

    /// <summary>The report with this file name, or null.</summary>
    public ReportFile? Find(string? name) =>
        name is null ? null : List().FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>Reads one report file; null when it is not a report.</summary>
    public static ReportFile? Load(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["subtasks"] is JsonArray
                ? new ReportFile(Path.GetFileName(path), o, File.GetLastWriteTimeUtc(path))
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
