namespace Mlrb.Eval.Tokenization.Components;

/// <summary>One decoder step (<c>decoder</c> in tokenizer.json): rewrites the list of token strings in place.</summary>
internal interface IDecoder
{
    /// <summary>Rewrites the token strings.</summary>
    /// <param name="tokens">The token strings; replaced by the step's output.</param>
    void Decode(List<string> tokens);
}
