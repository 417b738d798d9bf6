using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>.</summary>
/// <param name="form">The normalization form.</param>
internal sealed class UnicodeNormalizer(NormalizationForm form) : INormalizer
{
    /// <summary>Whether the runtime can normalize (it cannot under <c>InvariantGlobalization</c>, where Normalize silently returns its input).</summary>
    private static readonly Lazy<bool> Available = new(() => "e\u0301".Normalize(NormalizationForm.FormC) == "\u00E9");

    /// <inheritdoc />
    public string Normalize(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text; // ASCII is invariant under all four forms
        }

        if (!Available.Value)
        {
            throw new InvalidOperationException(
                $"The tokenizer needs Unicode {form} normalization, but this process runs with InvariantGlobalization (no ICU), where .NET cannot normalize. " +
                "Run without InvariantGlobalization (DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 and libicu installed).");
        }

        return text.IsNormalized(form) ? text : text.Normalize(form);
    }
}
