using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>A test double: encodes exactly the strings the Python reference encoded, adding BOS like a Llama post-processor.</summary>
internal sealed class DictionaryTokenizer(IReadOnlyDictionary<string, int[]> encodings, int? bos, string? bosText) : ITokenizer
{
    public List<(string Text, bool Special)> Calls { get; } = [];

    public int? BosTokenId => bos;

    public int? EosTokenId => null;

    public string? BosToken => bosText;

    public int VocabularySize => 304;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        Calls.Add((text, addSpecialTokens));
        if (!encodings.TryGetValue(text, out var ids))
        {
            throw new KeyNotFoundException($"The reference never encoded {text}.");
        }

        return addSpecialTokens && bos is int b ? [b, .. ids] : ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false) => throw new NotSupportedException();
}
