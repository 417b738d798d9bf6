namespace Mlrb.Eval.Data;

/// <summary>
/// Reads one BLiMP paradigm: the original release <c>blimp/&lt;UID&gt;.jsonl</c> or Hugging Face <c>nyu-mll/blimp</c>
/// rows exported as JSONL (same <c>sentence_good</c>/<c>sentence_bad</c> fields), in file order.
/// </summary>
internal static class BlimpReader
{
    /// <summary>The file for a paradigm: <c>blimp/&lt;uid&gt;.jsonl</c>, else <c>blimp/&lt;uid&gt;/train.jsonl</c>.</summary>
    public static string Locate(string dataDirectory, string uid)
    {
        var flat = Path.Combine(dataDirectory, "blimp", uid + ".jsonl");
        var nested = Path.Combine(dataDirectory, "blimp", uid, "train.jsonl");
        return File.Exists(flat) || !File.Exists(nested) ? flat : nested;
    }

    /// <summary>Whether any file for the paradigm is present.</summary>
    public static bool Exists(string dataDirectory, string uid) => File.Exists(Locate(dataDirectory, uid));

    /// <summary>Reads the pairs of one file.</summary>
    public static List<BlimpPair> Read(string path, DataIssueLog log)
        => JsonlFile.Read(path, log, static (row, line) => new BlimpPair(row.String("sentence_good"), row.String("sentence_bad"), line));
}
