using System.Globalization;
using System.Text;

namespace Mlrb.Tools.Processes;

/// <summary>
/// Writes a process's output log with a size cap, like the model-facing output: the first half of the budget goes
/// straight to the file, the last half is kept in a ring buffer and written at the end after a marker that says how
/// many bytes were cut from the middle. A flood of output costs at most the cap on disk and half of it in memory.
/// </summary>
internal sealed class CappedLog
{
    private readonly Stream _file;
    private readonly long _headLimit;
    private readonly int _tailLimit;
    private byte[] _tail = [];
    private long _headWritten;
    private long _tailWritten;

    /// <summary>Creates the log.</summary>
    /// <param name="file">The open log file (owned by the caller).</param>
    /// <param name="maxBytes">Most bytes of output kept (head and tail together; the marker comes on top).</param>
    public CappedLog(Stream file, long maxBytes)
    {
        _file = file;
        var max = Math.Max(2, maxBytes);
        _headLimit = max / 2;
        _tailLimit = (int)Math.Min(int.MaxValue - 64, max - _headLimit);
    }

    /// <summary>Bytes of output seen.</summary>
    public long TotalBytes => _headWritten + _tailWritten;

    /// <summary>Appends output.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var toHead = (int)Math.Min(data.Length, _headLimit - _headWritten);
        if (toHead > 0)
        {
            await _file.WriteAsync(data[..toHead], cancellationToken).ConfigureAwait(false);
            _headWritten += toHead;
            data = data[toHead..];
        }

        if (data.IsEmpty)
        {
            return;
        }

        if (_tail.Length == 0)
        {
            _tail = new byte[_tailLimit]; // only once the head is full: most calls never get here
        }

        // Only the last _tail.Length bytes of data can survive; copy them into the ring in at most two pieces.
        var span = data.Span;
        if (span.Length > _tail.Length)
        {
            _tailWritten += span.Length - _tail.Length;
            span = span[^_tail.Length..];
        }

        while (!span.IsEmpty)
        {
            var at = (int)(_tailWritten % _tail.Length);
            var n = Math.Min(span.Length, _tail.Length - at);
            span[..n].CopyTo(_tail.AsSpan(at));
            _tailWritten += n;
            span = span[n..];
        }
    }

    /// <summary>Writes the kept tail (after a marker when bytes were cut) and flushes.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_tailWritten > _tail.Length)
        {
            var cut = _tailWritten - _tail.Length;
            var marker = string.Create(
                CultureInfo.InvariantCulture,
                $"\n[mlrb] ... {cut:N0} bytes cut from the middle of this log (it keeps the first {_headLimit:N0} and the last {_tail.Length:N0} bytes of output; MlrbToolsOptions.MaxLogBytes) ...\n");
            await _file.WriteAsync(Encoding.UTF8.GetBytes(marker), cancellationToken).ConfigureAwait(false);
            var start = (int)(_tailWritten % _tail.Length);
            await _file.WriteAsync(_tail.AsMemory(start), cancellationToken).ConfigureAwait(false);
            await _file.WriteAsync(_tail.AsMemory(0, start), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _file.WriteAsync(_tail.AsMemory(0, (int)_tailWritten), cancellationToken).ConfigureAwait(false);
        }

        _tailWritten = 0;
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
