namespace Mlrb.Cli.Viewer.Svg;

/// <summary>A linear axis from <see cref="Min"/> to <see cref="Max"/> with round tick values.</summary>
internal sealed record AxisScale(double Min, double Max, IReadOnlyList<double> Ticks)
{
    /// <summary>An axis from <paramref name="min"/> that covers <paramref name="max"/>, ending on a round tick (about five ticks).</summary>
    public static AxisScale Covering(double min, double max)
    {
        if (!double.IsFinite(max) || max <= min)
        {
            max = min + 1;
        }

        var step = NiceStep((max - min) / 5);
        var top = min + (Math.Ceiling((max - min) / step - 1e-9) * step);
        var ticks = new List<double>();
        for (var v = min; v <= top + (step / 2); v += step)
        {
            ticks.Add(Math.Round(v, 12));
        }

        return new AxisScale(min, top, ticks);
    }

    /// <summary>Maps a value to a pixel offset in [0, <paramref name="length"/>].</summary>
    public double Map(double value, double length) => (value - Min) / (Max - Min) * length;

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
