using System.Text;
using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tokenization.Models;

/// <summary>A non-BPE model behind a ByteLevel pre-tokenizer: each piece's UTF-8 bytes are mapped to GPT-2's byte alphabet first.</summary>
/// <param name="inner">The model.</param>
internal sealed class ByteMappedModel(ITokenizerModel inner) : ITokenizerModel
{
    /// <inheritdoc />
    public int IdCount => inner.IdCount;

    /// <inheritdoc />
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => inner.TryGetId(token, out id);

    /// <inheritdoc />
    public string? IdToToken(int id) => inner.IdToToken(id);

    /// <inheritdoc />
    public void Tokenize(ReadOnlySpan<char> piece, List<int> output)
    {
        var bytes = Encoding.UTF8.GetBytes(piece.ToArray());
        var mapped = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            mapped[i] = ByteLevelTable.ByteToChar[bytes[i]];
        }

        inner.Tokenize(mapped, output);
    }
}
