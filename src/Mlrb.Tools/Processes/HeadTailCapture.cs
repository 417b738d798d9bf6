using System.Globalization;
using System.Text;

namespace Mlrb.Tools.Processes;

/// <summary>
/// Keeps the first and the last bytes of a stream of output (about <c>maxChars</c> in all) and counts what
/// was dropped, so several MB of output cost only a bounded amount of memory and model context.
/// </summary>
internal sealed class HeadTailCapture
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private long _tailWritten;
    private long _total;
    private long _newlines;

    /// <summary>Creates a capture that keeps about <paramref name="maxChars"/> characters.</summary>
    /// <param name="maxChars">The budget (split between head and tail).</param>
    public HeadTailCapture(int maxChars)
    {
        var half = Math.Max(100, maxChars / 2);
        _head = new byte[half];
        _tail = new byte[half];
    }

    /// <summary>Total bytes seen.</summary>
    public long TotalBytes => _total;

    /// <summary>Whether some bytes were dropped.</summary>
    public bool Truncated => _total > _head.Length + _tail.Length;

    /// <summary>Adds a chunk.</summary>
    /// <param name="chunk">The bytes.</param>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        _total += chunk.Length;
        _newlines += chunk.Count((byte)'\n');
        var toHead = Math.Min(chunk.Length, _head.Length - _headLength);
        chunk[..toHead].CopyTo(_head.AsSpan(_headLength));
        _headLength += toHead;
        foreach (var b in chunk[toHead..])
        {
            _tail[(int)(_tailWritten % _tail.Length)] = b;
            _tailWritten++;
        }
    }

    /// <summary>The kept text; when bytes were dropped, a marker in the middle says how many bytes and lines.</summary>
    /// <param name="logPath">Where the full output is, named in the marker.</param>
    /// <returns>The text.</returns>
    public string Render(string? logPath)
    {
        var head = _head.AsSpan(0, _headLength);
        var tailLength = (int)Math.Min(_tailWritten, _tail.Length);
        var tail = new byte[tailLength];
        var start = _tailWritten > _tail.Length ? (int)(_tailWritten % _tail.Length) : 0;
        for (var i = 0; i < tailLength; i++)
        {
            tail[i] = _tail[(start + i) % _tail.Length];
        }

        if (!Truncated)
        {
            return Encoding.UTF8.GetString([.. head, .. tail]);
        }

        var cutBytes = _total - _headLength - tailLength;
        var cutLines = _newlines - head.Count((byte)'\n') - tail.AsSpan().Count((byte)'\n');
        var where = logPath is null ? "" : $"; full output in {logPath}";
        var marker = string.Create(CultureInfo.InvariantCulture, $"\n[... {cutBytes} bytes ({cutLines} lines) cut from the middle{where} ...]\n");
        return Encoding.UTF8.GetString(head) + marker + Encoding.UTF8.GetString(tail);
    }
}
