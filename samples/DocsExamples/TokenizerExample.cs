using Mlrb.Eval.Tokenization;

namespace DocsExamples;

/// <summary>docs/tokenizers.md: load a model folder's tokenizer, encode and decode.</summary>
public static class TokenizerExample
{
    public static (IReadOnlyList<int> Ids, string Text, int? Prefix) Run()
    {
        ITokenizer tok = TokenizerLoader.Load("models/gpt2");                          // a Hugging Face model folder
        IReadOnlyList<int> ids = tok.Encode(" Hello world", addSpecialTokens: false);   // [18435, 995]
        string text = tok.Decode(ids);                                                  // " Hello world"
        int? prefix = tok.BosTokenId ?? tok.EosTokenId;                                 // the harness's prefix token for empty contexts
        return (ids, text, prefix);
    }
}
