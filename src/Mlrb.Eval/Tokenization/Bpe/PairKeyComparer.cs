namespace Mlrb.Eval.Tokenization.Bpe;

/// <summary>
/// Hashes packed (left id, right id) merge keys. <c>long.GetHashCode</c> is <c>left ^ right</c>, which puts many pairs in
/// the same bucket (all ids are small); a multiplicative hash spreads them.
/// </summary>
internal sealed class PairKeyComparer : IEqualityComparer<long>
{
    /// <summary>The shared instance.</summary>
    public static readonly PairKeyComparer Instance = new();

    /// <summary>Creates an empty merge table that uses this comparer.</summary>
    /// <returns>The table.</returns>
    public static Dictionary<long, long> CreateTable() => new(Instance);

    /// <inheritdoc />
    public bool Equals(long x, long y) => x == y;

    /// <inheritdoc />
    public int GetHashCode(long obj) => (int)(((ulong)obj * 0x9E3779B97F4A7C15UL) >> 32);
}
