namespace Mlrb.Eval.Data;

/// <summary>
/// Where a SuperGLUE split lives: <c>superglue/&lt;Task&gt;/val.jsonl</c> (original v2 release, folder name matched
/// case-insensitively, e.g. <c>BoolQ</c>) or <c>validation.jsonl</c> (Hugging Face export); <c>train.jsonl</c> for few-shot.
/// </summary>
internal static class SuperGlueFiles
{
    /// <summary>The release folder names of the eight tasks, by harness task name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Folders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["boolq"] = "BoolQ",
        ["cb"] = "CB",
        ["copa"] = "COPA",
        ["multirc"] = "MultiRC",
        ["record"] = "ReCoRD",
        ["sglue_rte"] = "RTE",
        ["wic"] = "WiC",
        ["wsc"] = "WSC",
    };

    /// <summary>The validation file of a task (the path that would be expected when none exists).</summary>
    public static string Validation(string dataDirectory, string task) => Find(dataDirectory, task, ["val.jsonl", "validation.jsonl"]);

    /// <summary>The train file of a task (the few-shot pool), or the path that would be expected.</summary>
    public static string Train(string dataDirectory, string task) => Find(dataDirectory, task, ["train.jsonl"]);

    private static string Find(string dataDirectory, string task, string[] names)
    {
        var root = Path.Combine(dataDirectory, "superglue");
        var folderName = Folders[task];
        var folder = Path.Combine(root, folderName);
        if (Directory.Exists(root))
        {
            folder = Directory.EnumerateDirectories(root)
                .FirstOrDefault(d => string.Equals(Path.GetFileName(d), folderName, StringComparison.OrdinalIgnoreCase)) ?? folder;
        }

        foreach (var name in names)
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine(folder, names[0]);
    }
}
