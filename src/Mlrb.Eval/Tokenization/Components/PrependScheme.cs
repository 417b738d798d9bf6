namespace Mlrb.Eval.Tokenization.Components;

/// <summary>When Metaspace prepends its replacement character.</summary>
internal enum PrependScheme
{
    /// <summary>To every piece.</summary>
    Always,

    /// <summary>Only to a piece at offset 0 of the input.</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}
