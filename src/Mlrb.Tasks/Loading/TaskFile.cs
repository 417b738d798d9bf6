using Mlrb.Tasks.Loading.Documents;

namespace Mlrb.Tasks;

/// <summary>
/// Reads and writes task files: one task per file, YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>), with the
/// snake_case schema that <c>docs/tasks.md</c> describes. Every problem is reported as a <see cref="TaskFileException"/>
/// naming the file, the line and the field.
/// </summary>
public static class TaskFile
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Loads the task in <paramref name="path"/>.</summary>
    /// <param name="path">A <c>.yaml</c>, <c>.yml</c> or <c>.json</c> file.</param>
    /// <returns>The task.</returns>
    /// <exception cref="TaskFileException">The file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ResearchTask Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(ReadBounded(path), path, IsJson(path) ? TaskFileFormat.Json : TaskFileFormat.Yaml);
    }

    /// <summary>Largest task file read (1 MiB; the built-in tasks are under 10 KB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Reads a task file of at most <see cref="MaxFileBytes"/>, refusing devices and other non-regular files.</summary>
    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var length = stream.Length;
        if (length > MaxFileBytes)
        {
            throw new TaskFileException(path, 1, 1, "(document)", $"the file is {length} bytes, over the {MaxFileBytes}-byte limit for a task file.");
        }

        // Read one byte past the reported length: a device (e.g. a link to /dev/zero) reports 0 and never ends.
        var buffer = new byte[length + 1];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += n;
        }

        if (total > length)
        {
            throw new TaskFileException(path, 1, 1, "(document)", "not a regular file (a device, pipe or a link to one); refusing to read it.");
        }

        return new System.Text.UTF8Encoding(false).GetString(buffer, 0, total).TrimStart('\uFEFF');
    }

    /// <summary>Parses task text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="sourceName">The name to put in error messages (usually the file path).</param>
    /// <param name="format">YAML or JSON.</param>
    /// <returns>The task.</returns>
    /// <exception cref="TaskFileException">The text is malformed.</exception>
    public static ResearchTask Parse(string text, string sourceName, TaskFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var root = format == TaskFileFormat.Json ? JsonTreeReader.Read(text, sourceName) : YamlTreeReader.Read(text, sourceName);
        return Loading.TaskDocumentReader.Read(root, sourceName);
    }

    /// <summary>Loads every task file directly inside <paramref name="directory"/>, in file-name order.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The tasks.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="TaskFileException">A file is malformed, or two files define the same task name.</exception>
    public static IReadOnlyList<ResearchTask> LoadDirectory(string directory) =>
        [.. LoadDirectoryWithPaths(directory).Select(loaded => loaded.Task)];

    /// <summary>Like <see cref="LoadDirectory"/>, keeping the file each task came from.</summary>
    internal static IReadOnlyList<(ResearchTask Task, string Path)> LoadDirectoryWithPaths(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Task folder '{directory}' does not exist.");
        }

        var tasks = new List<(ResearchTask, string)>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.EnumerateFiles(directory)
                     .Where(p => Extensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal))
        {
            var task = Load(path);
            if (seen.TryGetValue(task.Name, out var other))
            {
                throw new TaskFileException(path, 1, 1, "name", $"task '{task.Name}' is already defined in {other}.");
            }

            seen[task.Name] = path;
            tasks.Add((task, path));
        }

        return tasks;
    }

    /// <summary>Writes <paramref name="task"/> as YAML.</summary>
    /// <param name="task">The task.</param>
    /// <returns>YAML text that <see cref="Parse"/> reads back into an equal task.</returns>
    public static string ToYaml(ResearchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Loading.TaskEmitters.ToYaml(Loading.TaskDocumentWriter.ToFields(task));
    }

    /// <summary>Writes <paramref name="task"/> as indented JSON with the task-file schema.</summary>
    /// <param name="task">The task.</param>
    /// <returns>JSON text that <see cref="Parse"/> reads back into an equal task.</returns>
    public static string ToJson(ResearchTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Loading.TaskEmitters.ToJson(Loading.TaskDocumentWriter.ToFields(task));
    }

    /// <summary>Writes <paramref name="tasks"/> as an indented JSON array of task objects (the task-file schema).</summary>
    /// <param name="tasks">The tasks.</param>
    /// <returns>The JSON text; each element can be saved on its own as a task file.</returns>
    public static string ToJson(IEnumerable<ResearchTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var list = tasks.Select(t => (object?)Loading.TaskDocumentWriter.ToFields(t)).ToList();
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Loading.TaskEmitters.WriteJson(writer, list);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Saves <paramref name="task"/> to <paramref name="path"/>, as JSON for <c>.json</c> and YAML otherwise.</summary>
    /// <param name="task">The task.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(ResearchTask task, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, IsJson(path) ? ToJson(task) : ToYaml(task));
    }

    private static bool IsJson(string path) => string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase);
}
