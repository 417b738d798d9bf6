namespace Mlrb.Tasks;

/// <summary>The syntax of a task file.</summary>
public enum TaskFileFormat
{
    /// <summary>YAML (<c>.yaml</c>, <c>.yml</c>).</summary>
    Yaml,

    /// <summary>JSON (<c>.json</c>).</summary>
    Json,
}
