using System.Globalization;
using System.Text;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Svg;

/// <summary>Step-free line chart (cumulative values over time) with optional dashed vertical budget lines, as inline SVG.</summary>
internal static class SvgLineChart
{
    private const double Left = 72, Right = 16, Top = 16, PlotWidth = 640, PlotHeight = 220, Bottom = 64;

    /// <summary>Renders the chart.</summary>
    /// <param name="series">The lines.</param>
    /// <param name="xLabel">X axis label with unit.</param>
    /// <param name="yLabel">Y axis label with unit.</param>
    /// <param name="title">Accessible title.</param>
    /// <param name="verticalLines">Budget lines: x position and label.</param>
    public static string Render(IReadOnlyList<LineSeries> series, string xLabel, string yLabel, string title, IReadOnlyList<(double X, string Label)>? verticalLines = null)
    {
        verticalLines ??= [];
        var all = series.SelectMany(s => s.Points).ToList();
        var x = AxisScale.Covering(0, Math.Max(all.Select(p => p.X).DefaultIfEmpty(0).Max(), verticalLines.Select(v => v.X).DefaultIfEmpty(0).Max()));
        var y = AxisScale.Covering(0, all.Select(p => p.Y).DefaultIfEmpty(0).Max());
        var c = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.##", c);
        var width = Left + PlotWidth + Right;
        var height = Top + PlotHeight + Bottom;
        var sb = new StringBuilder();
        sb.Append(c, $"<svg class=\"chart line-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {F(width)} {F(height)}\" width=\"{F(width)}\" height=\"{F(height)}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append("<title>").Append(E(title)).Append("</title>");
        sb.Append(c, $"<g class=\"plot\" transform=\"translate({F(Left)},{F(Top)})\">");
        foreach (var tick in y.Ticks)
        {
            var ty = PlotHeight - y.Map(tick, PlotHeight);
            sb.Append(c, $"<line class=\"grid\" x1=\"0\" x2=\"{F(PlotWidth)}\" y1=\"{F(ty)}\" y2=\"{F(ty)}\"/><text x=\"-6\" y=\"{F(ty + 4)}\" text-anchor=\"end\">{Short(tick)}</text>");
        }

        foreach (var tick in x.Ticks)
        {
            var tx = x.Map(tick, PlotWidth);
            sb.Append(c, $"<text x=\"{F(tx)}\" y=\"{F(PlotHeight + 16)}\" text-anchor=\"middle\">{Short(tick)}</text>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            if (series[i].Points.Count == 0)
            {
                continue;
            }

            var d = string.Join(' ', series[i].Points.Select((p, j) => (j == 0 ? "M" : "L") + F(x.Map(p.X, PlotWidth)) + "," + F(PlotHeight - y.Map(p.Y, PlotHeight))));
            sb.Append(c, $"<path class=\"line s{i % 8}\" d=\"{d}\" data-series=\"{E(series[i].Name)}\"/>");
        }

        foreach (var (vx, label) in verticalLines)
        {
            var px = x.Map(vx, PlotWidth);
            sb.Append(c, $"<line class=\"budget\" x1=\"{F(px)}\" x2=\"{F(px)}\" y1=\"0\" y2=\"{F(PlotHeight)}\"/><text class=\"budget-label\" x=\"{F(px - 4)}\" y=\"12\" text-anchor=\"end\">{E(label)}</text>");
        }

        sb.Append(c, $"<line class=\"axis\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"{F(PlotHeight)}\"/><line class=\"axis\" x1=\"0\" x2=\"{F(PlotWidth)}\" y1=\"{F(PlotHeight)}\" y2=\"{F(PlotHeight)}\"/>");
        sb.Append(c, $"<text x=\"{F(PlotWidth / 2)}\" y=\"{F(PlotHeight + 34)}\" text-anchor=\"middle\">{E(xLabel)}</text>");
        sb.Append(c, $"<text transform=\"translate(-56,{F(PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{E(yLabel)}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            sb.Append(c, $"<rect class=\"s{i % 8}\" x=\"{F(i * 180.0)}\" y=\"{F(PlotHeight + 44)}\" width=\"12\" height=\"12\"/><text x=\"{F((i * 180.0) + 16)}\" y=\"{F(PlotHeight + 54)}\">{E(series[i].Name)}</text>");
        }

        sb.Append("</g></svg>");
        return sb.ToString();
    }

    private static string Short(double v) => Math.Abs(v) >= 1e6 ? (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
        : Math.Abs(v) >= 1e4 ? (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k"
        : v.ToString("0.###", CultureInfo.InvariantCulture);
}
