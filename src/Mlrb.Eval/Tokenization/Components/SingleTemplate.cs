namespace Mlrb.Eval.Tokenization.Components;

/// <summary>What a post-processor does to a single sequence when special tokens are added: ids before and after it.</summary>
/// <param name="Prefix">Ids put before the sequence (e.g. BOS).</param>
/// <param name="Suffix">Ids put after the sequence (e.g. EOS).</param>
internal sealed record SingleTemplate(int[] Prefix, int[] Suffix)
{
    /// <summary>A post-processor that adds nothing (ByteLevel, or none).</summary>
    public static readonly SingleTemplate None = new([], []);

    /// <summary>Applies <paramref name="outer"/> around this template (a Sequence of processors).</summary>
    /// <param name="outer">The processor that runs after this one.</param>
    /// <returns>The combined template.</returns>
    public SingleTemplate Then(SingleTemplate outer) => new([.. outer.Prefix, .. Prefix], [.. Suffix, .. outer.Suffix]);
}
