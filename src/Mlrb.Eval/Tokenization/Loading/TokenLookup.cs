using Mlrb.Eval.Tokenization.Models;
using Mlrb.Eval.Tokenization.Components;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>Finds the id of a token text among the added tokens, then the model vocabulary.</summary>
/// <param name="model">The model.</param>
/// <param name="added">The added tokens.</param>
internal sealed class TokenLookup(ITokenizerModel model, IReadOnlyList<AddedToken> added)
{
    /// <summary>The id of a token, or null.</summary>
    /// <param name="token">The token text.</param>
    /// <returns>The id, or null.</returns>
    public int? Find(string token)
    {
        foreach (var t in added)
        {
            if (t.Content == token)
            {
                return t.Id;
            }
        }

        return model.TryGetId(token, out var id) ? id : null;
    }
}
