namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>Strip</c> decoder: removes up to <c>start</c> leading and <c>stop</c> trailing copies of a character from each token.</summary>
/// <param name="content">The character.</param>
/// <param name="start">Most leading copies to remove.</param>
/// <param name="stop">Most trailing copies to remove.</param>
internal sealed class StripDecoder(char content, int start, int stop) : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            var from = 0;
            while (from < start && from < token.Length && token[from] == content)
            {
                from++;
            }

            var to = token.Length;
            var removed = 0;
            while (removed < stop && to > from && token[to - 1] == content)
            {
                to--;
                removed++;
            }

            tokens[t] = token[from..to];
        }
    }
}
