namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>Bytes an ILGPU backend holds on its accelerator, by kind, now and at the peak. Thread-safe.</summary>
internal sealed class DeviceMemoryLedger
{
    private readonly long[] _current = new long[3];
    private readonly long[] _peak = new long[3];
    private long _total;
    private long _peakTotal;
    private readonly Lock _gate = new();

    /// <summary>Counts <paramref name="bytes"/> (negative when freed) under <paramref name="kind"/>.</summary>
    public void Add(DeviceMemoryKind kind, long bytes)
    {
        lock (_gate)
        {
            var k = (int)kind;
            _current[k] += bytes;
            _peak[k] = Math.Max(_peak[k], _current[k]);
            _total += bytes;
            _peakTotal = Math.Max(_peakTotal, _total);
        }
    }

    /// <summary>Bytes held now.</summary>
    public long Current(DeviceMemoryKind kind)
    {
        lock (_gate)
        {
            return _current[(int)kind];
        }
    }

    /// <summary>Most bytes held at once.</summary>
    public long Peak(DeviceMemoryKind kind)
    {
        lock (_gate)
        {
            return _peak[(int)kind];
        }
    }

    /// <summary>Most bytes held at once, all kinds together.</summary>
    public long PeakTotal
    {
        get
        {
            lock (_gate)
            {
                return _peakTotal;
            }
        }
    }
}
