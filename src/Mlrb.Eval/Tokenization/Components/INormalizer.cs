namespace Mlrb.Eval.Tokenization.Components;

/// <summary>One normalizer (<c>normalizer</c> in tokenizer.json), applied to each text segment between added tokens.</summary>
internal interface INormalizer
{
    /// <summary>Normalizes one segment.</summary>
    /// <param name="text">The segment.</param>
    /// <returns>The normalized segment.</returns>
    string Normalize(string text);
}
