namespace Mlrb.Eval.Tokenization.Components;

/// <summary>An entry of <c>added_tokens</c>: text matched before normalization/pre-tokenization and given a fixed id.</summary>
/// <param name="Id">The id.</param>
/// <param name="Content">The text.</param>
/// <param name="Special">Dropped by <c>decode(skip_special_tokens=True)</c>.</param>
/// <param name="SingleWord">Only matched when not inside a word.</param>
/// <param name="LStrip">Absorbs whitespace on its left.</param>
/// <param name="RStrip">Absorbs whitespace on its right.</param>
/// <param name="Normalized">Matched in the normalized text (else in the raw text).</param>
internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord = false, bool LStrip = false, bool RStrip = false, bool Normalized = false);
