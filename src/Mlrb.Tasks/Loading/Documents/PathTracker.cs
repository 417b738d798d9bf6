namespace Mlrb.Tasks.Loading.Documents;

/// <summary>Keeps the dotted path of the field being read, so that syntax errors can name it.</summary>
internal sealed class PathTracker
{
    private readonly List<string> _segments = [];

    public string Current => _segments.Count == 0 ? "(document)" : Join(_segments);

    public void PushKey(string key) => _segments.Add("." + key);

    public void PushIndex(int index) => _segments.Add($"[{index}]");

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public static string Join(IEnumerable<string> segments) => string.Concat(segments).TrimStart('.');

    public static string Child(string parent, string key) => parent == "(document)" || parent.Length == 0 ? key : parent + "." + key;

    public static string Item(string parent, int index) => $"{parent}[{index}]";
}
