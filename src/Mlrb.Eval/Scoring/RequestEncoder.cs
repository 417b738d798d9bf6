using Mlrb.Eval.Tokenization;

namespace Mlrb.Eval.Scoring;

/// <summary>lm-evaluation-harness <c>TemplateLM.loglikelihood</c> / <c>_encode_pair</c>: text request to (context ids, continuation ids).</summary>
internal static class RequestEncoder
{
    public static (int[] Context, int[] Continuation) Encode(ITokenizer tokenizer, int prefixTokenId, LogLikelihoodRequest request, int index)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Continuation))
        {
            throw new ArgumentException($"request {index}: the continuation is empty; a log-likelihood request needs at least one continuation token.", nameof(request));
        }

        var context = request.Context ?? string.Empty;
        var continuation = request.Continuation;
        if (context.Length == 0)
        {
            var ids = tokenizer.Encode(continuation, addSpecialTokens: false).ToArray();
            if (ids.Length == 0)
            {
                throw new ArgumentException($"request {index}: the continuation encodes to no tokens.", nameof(request));
            }

            return ids[0] != prefixTokenId ? ([prefixTokenId], ids) : (ids[..1], ids[1..]);
        }

        // The whitespace move: the context's trailing whitespace (Python str.rstrip) starts the continuation.
        var end = context.Length;
        while (end > 0 && IsPythonWhitespace(context[end - 1]))
        {
            end--;
        }

        if (end < context.Length)
        {
            continuation = string.Concat(context.AsSpan(end), continuation);
            context = context[..end];
        }

        var whole = EncodeDefault(tokenizer, context + continuation);
        var contextIds = EncodeDefault(tokenizer, context);
        var split = Math.Min(contextIds.Length, whole.Length);
        var continuationIds = whole[split..];
        if (continuationIds.Length == 0)
        {
            throw new ArgumentException($"request {index}: the continuation encodes to no tokens after the joint encoding is split at the context's {contextIds.Length} tokens.", nameof(request));
        }

        return (contextIds, continuationIds);
    }

    /// <summary><c>tok_encode</c> with <c>add_bos_token=None</c>: the tokenizer's default, except no specials when the text starts with the BOS text.</summary>
    private static int[] EncodeDefault(ITokenizer tokenizer, string text)
    {
        var bos = tokenizer.BosToken;
        var add = string.IsNullOrEmpty(bos) || !text.StartsWith(bos, StringComparison.Ordinal);
        return tokenizer.Encode(text, add).ToArray();
    }

    /// <summary>Python <c>str.isspace</c> for one UTF-16 unit: .NET white space plus U+001C–U+001F.</summary>
    public static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || (c >= '\u001c' && c <= '\u001f');
}
