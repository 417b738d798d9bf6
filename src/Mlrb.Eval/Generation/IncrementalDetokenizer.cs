using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Generation;

/// <summary>
/// Turns generated tokens into text one token at a time. Each step decodes a short window of recent tokens and emits what
/// the newest token added, so a character split over several byte-level tokens is emitted only once it is complete, and a
/// decoder that treats the first token of a string specially (SentencePiece's leading space) behaves as it does when
/// the whole output is decoded at once. Special tokens are skipped, as lm-evaluation-harness decodes generations.
/// </summary>
internal sealed class IncrementalDetokenizer(ITokenizer tokenizer, bool skipSpecialTokens = true)
{
    private const char Replacement = '\uFFFD';
    private readonly List<int> _tokens = [];
    private int _prefixOffset;
    private int _readOffset;

    /// <summary>Adds a token; returns the text it completes (possibly empty).</summary>
    public string Add(int token)
    {
        _tokens.Add(token);
        var prefix = Decode(_prefixOffset, _readOffset);
        var whole = Decode(_prefixOffset, _tokens.Count);
        if (whole.Length > prefix.Length && whole[^1] != Replacement && whole.StartsWith(prefix, StringComparison.Ordinal))
        {
            _prefixOffset = _readOffset;
            _readOffset = _tokens.Count;
            return whole[prefix.Length..];
        }

        return string.Empty;
    }

    /// <summary>Text held back at the end of generation (an incomplete character), decoded as it stands.</summary>
    public string Flush()
    {
        if (_readOffset == _tokens.Count)
        {
            return string.Empty;
        }

        var prefix = Decode(_prefixOffset, _readOffset);
        var whole = Decode(_prefixOffset, _tokens.Count);
        _prefixOffset = _readOffset = _tokens.Count;
        return whole.Length > prefix.Length && whole.StartsWith(prefix, StringComparison.Ordinal) ? whole[prefix.Length..] : string.Empty;
    }

    private string Decode(int start, int end)
        => end <= start ? string.Empty : tokenizer.Decode(_tokens.GetRange(start, end - start), skipSpecialTokens);
}
