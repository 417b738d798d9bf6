using System.Security.Cryptography;

namespace Mlrb.Eval.Serving;

/// <summary>Response ids (<c>cmpl-…</c>, <c>chatcmpl-…</c>, <c>call_…</c>) and the finish reasons OpenAI clients know.</summary>
internal static class Ids
{
    public static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string FinishReason(Generation.GenerationFinishReason reason) => reason switch
    {
        Generation.GenerationFinishReason.EndOfSequence or Generation.GenerationFinishReason.StopSequence => "stop",
        _ => "length",
    };
}
