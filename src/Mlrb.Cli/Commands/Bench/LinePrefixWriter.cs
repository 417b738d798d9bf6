using System.Text;

namespace Mlrb.Cli.Commands.Bench;

/// <summary>
/// Writes whole lines, each with a prefix, to a shared writer under a lock: the progress of runs going at once stays
/// readable (<c>[mini_baby_lm 2/3] ...</c>).
/// </summary>
internal sealed class LinePrefixWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly object _gate;
    private readonly string _prefix;
    private readonly StringBuilder _line = new();

    public LinePrefixWriter(TextWriter inner, object gate, string prefix)
    {
        _inner = inner;
        _gate = gate;
        _prefix = prefix;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                FlushLine();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            Write(c);
        }
    }

    public override void Flush()
    {
        lock (_line)
        {
            if (_line.Length > 0)
            {
                FlushLine();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        lock (_gate)
        {
            _inner.WriteLine(_prefix + _line);
        }

        _line.Clear();
    }
}
