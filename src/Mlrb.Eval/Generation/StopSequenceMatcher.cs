namespace Mlrb.Eval.Generation;

/// <summary>
/// Finds stop strings in generated text as it grows, across token boundaries. Text is released to the caller only once it
/// can no longer be the start of a stop string, so a streamed output never shows a stop string or a piece of one. The
/// output is cut at the earliest occurrence of any stop string, which is what lm-evaluation-harness's
/// <c>s.split(term)[0]</c> over its <c>until</c> list gives.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly string[] _stops = stops.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    private readonly System.Text.StringBuilder _text = new();
    private int _released;

    /// <summary>The stop string found, once one is.</summary>
    public string? Matched { get; private set; }

    /// <summary>All text accepted so far (cut at the stop string once one is found).</summary>
    public string Text => _text.ToString();

    /// <summary>Adds generated text; returns the text that may now be released.</summary>
    public string Append(string piece)
    {
        if (Matched is not null || piece.Length == 0)
        {
            return string.Empty;
        }

        var searchFrom = Math.Max(0, _text.Length - MaxStopLength + 1);
        _text.Append(piece);
        if (_stops.Length == 0)
        {
            return Release(_text.Length);
        }

        var text = _text.ToString();
        var cut = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop, searchFrom, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut || (at == cut && stop.Length > Matched!.Length)))
            {
                cut = at;
                Matched = stop;
            }
        }

        if (cut >= 0)
        {
            _text.Length = cut;
            return Release(cut);
        }

        return Release(text.Length - HeldBack(text));
    }

    /// <summary>Releases whatever is held back (generation ended without a stop string).</summary>
    public string Flush() => Release(_text.Length);

    private int MaxStopLength => _stops.Length == 0 ? 1 : _stops.Max(s => s.Length);

    /// <summary>Length of the longest suffix of <paramref name="text"/> that is a proper prefix of a stop string.</summary>
    private int HeldBack(string text)
    {
        var held = 0;
        foreach (var stop in _stops)
        {
            for (var n = Math.Min(stop.Length - 1, text.Length); n > held; n--)
            {
                if (string.CompareOrdinal(text, text.Length - n, stop, 0, n) == 0)
                {
                    held = n;
                    break;
                }
            }
        }

        return held;
    }

    private string Release(int upTo)
    {
        if (upTo <= _released)
        {
            return string.Empty;
        }

        var released = _text.ToString(_released, upTo - _released);
        _released = upTo;
        return released;
    }
}
