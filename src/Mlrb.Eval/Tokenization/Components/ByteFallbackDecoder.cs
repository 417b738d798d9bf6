using System.Globalization;
using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>ByteFallback</c> decoder: runs of <c>&lt;0xHH&gt;</c> tokens become their UTF-8 text, or one U+FFFD per byte when invalid.</summary>
internal sealed class ByteFallbackDecoder : IDecoder
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByte(token, out var b))
            {
                pending.Add(b);
                continue;
            }

            Flush(pending, result);
            result.Add(token);
        }

        Flush(pending, result);
        tokens.Clear();
        tokens.AddRange(result);
    }

    private static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static void Flush(List<byte> pending, List<string> result)
    {
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            result.Add(Strict.GetString(pending.ToArray()));
        }
        catch (DecoderFallbackException)
        {
            for (var i = 0; i < pending.Count; i++)
            {
                result.Add("\uFFFD");
            }
        }

        pending.Clear();
    }
}
