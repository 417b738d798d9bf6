using System.Text;

namespace Mlrb.Eval.Tokenization.Components;

/// <summary><c>ByteLevel</c> decoder: mapped characters back to bytes (a token with an unmapped character keeps its own UTF-8), then lossy UTF-8 over the whole buffer.</summary>
internal sealed class ByteLevelDecoder : IDecoder
{
    /// <inheritdoc />
    public void Decode(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var mark = bytes.Count;
            var ok = true;
            foreach (var c in token)
            {
                var b = ByteLevelTable.ToByte(c);
                if (b < 0)
                {
                    ok = false;
                    break;
                }

                bytes.Add((byte)b);
            }

            if (!ok)
            {
                bytes.RemoveRange(mark, bytes.Count - mark);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
            }
        }

        tokens.Clear();
        tokens.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
    }
}
