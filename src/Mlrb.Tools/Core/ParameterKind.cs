namespace Mlrb.Tools.Core;

/// <summary>The JSON type of one tool argument.</summary>
internal enum ParameterKind
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON integer.</summary>
    Integer,

    /// <summary>A JSON boolean.</summary>
    Boolean,

    /// <summary>A JSON object whose values are strings or numbers (e.g. metrics).</summary>
    StringMap,
}
