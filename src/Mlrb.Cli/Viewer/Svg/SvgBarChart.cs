using System.Globalization;
using System.Text;
using static Mlrb.Cli.Viewer.Html.HtmlText;

namespace Mlrb.Cli.Viewer.Svg;

/// <summary>
/// Grouped bar chart with error bars and per-value dots, as inline SVG (the paper's Figure 1 layout). Each bar carries
/// <c>data-group</c>, <c>data-series</c> and <c>data-mean</c>; the plot area carries its pixel height and axis maximum, so
/// a reader (or a test) can check bar heights against the values.
/// </summary>
internal static class SvgBarChart
{
    private const double Left = 64, Right = 16, Top = 16, PlotHeight = 260, Bottom = 70, BarWidth = 22, GroupGap = 28;

    /// <summary>Renders the chart.</summary>
    public static string Render(IReadOnlyList<BarGroup> groups, string yLabel, string title)
    {
        var series = groups.SelectMany(g => g.Bars.Select(b => b.Series)).Distinct(StringComparer.Ordinal).ToList();
        var max = groups.SelectMany(g => g.Bars).Select(b => Math.Max(b.Mean + (b.Error ?? 0), b.Points.Count > 0 ? b.Points.Max() : 0)).DefaultIfEmpty(0).Max();
        var y = AxisScale.Covering(0, Math.Max(max, 1e-9) <= 1 ? 1 : max);
        var plotWidth = Math.Max(200, groups.Sum(g => (g.Bars.Count * BarWidth) + GroupGap) + GroupGap);
        var legendColumns = Math.Max(1, (int)((plotWidth + Left - 8) / 170));
        var legendHeight = 18 * ((series.Count + legendColumns - 1) / legendColumns);
        var width = Left + plotWidth + Right;
        var height = Top + PlotHeight + Bottom + legendHeight;
        var c = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("0.##", c);

        var sb = new StringBuilder();
        sb.Append(c, $"<svg class=\"chart bar-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {F(width)} {F(height)}\" width=\"{F(width)}\" height=\"{F(height)}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append("<title>").Append(E(title)).Append("</title>");
        sb.Append(c, $"<g class=\"plot\" transform=\"translate({F(Left)},{F(Top)})\" data-plot-height=\"{F(PlotHeight)}\" data-y-max=\"{y.Max.ToString("R", c)}\">");
        foreach (var tick in y.Ticks)
        {
            var ty = PlotHeight - y.Map(tick, PlotHeight);
            sb.Append(c, $"<line class=\"grid\" x1=\"0\" x2=\"{F(plotWidth)}\" y1=\"{F(ty)}\" y2=\"{F(ty)}\"/>");
            sb.Append(c, $"<text x=\"-6\" y=\"{F(ty + 4)}\" text-anchor=\"end\">{tick.ToString("0.###", c)}</text>");
        }

        var x = (double)GroupGap;
        foreach (var group in groups)
        {
            var groupStart = x;
            foreach (var bar in group.Bars)
            {
                var s = series.IndexOf(bar.Series) % 8;
                var h = y.Map(bar.Mean, PlotHeight);
                sb.Append(c, $"<rect class=\"bar s{s}\" x=\"{F(x)}\" y=\"{F(PlotHeight - h)}\" width=\"{F(BarWidth - 2)}\" height=\"{F(h)}\" data-group=\"{E(group.Label)}\" data-series=\"{E(bar.Series)}\" data-mean=\"{bar.Mean.ToString("R", c)}\">");
                sb.Append("<title>").Append(E($"{group.Label} · {bar.Series}: mean {N(bar.Mean)}" + (bar.Error is { } e ? $" ± {N(e)} (SEM)" : "") + $", n = {bar.Points.Count}")).Append("</title></rect>");
                var cx = x + ((BarWidth - 2) / 2);
                if (bar.Error is { } err && err > 0)
                {
                    var y1 = PlotHeight - y.Map(bar.Mean + err, PlotHeight);
                    var y2 = PlotHeight - y.Map(Math.Max(0, bar.Mean - err), PlotHeight);
                    sb.Append(c, $"<path class=\"err\" d=\"M{F(cx)},{F(y1)}V{F(y2)}M{F(cx - 5)},{F(y1)}H{F(cx + 5)}M{F(cx - 5)},{F(y2)}H{F(cx + 5)}\"/>");
                }

                foreach (var p in bar.Points)
                {
                    sb.Append(c, $"<circle class=\"pt\" cx=\"{F(cx)}\" cy=\"{F(PlotHeight - y.Map(p, PlotHeight))}\" r=\"2.5\" data-value=\"{p.ToString("R", c)}\"/>");
                }

                x += BarWidth;
            }

            var mid = (groupStart + x) / 2;
            sb.Append(c, $"<text x=\"{F(mid)}\" y=\"{F(PlotHeight + 16)}\" text-anchor=\"middle\">{E(group.Label)}</text>");
            x += GroupGap;
        }

        sb.Append(c, $"<line class=\"axis\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"{F(PlotHeight)}\"/>");
        sb.Append(c, $"<line class=\"axis\" x1=\"0\" x2=\"{F(plotWidth)}\" y1=\"{F(PlotHeight)}\" y2=\"{F(PlotHeight)}\"/>");
        sb.Append(c, $"<text transform=\"translate(-46,{F(PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{E(yLabel)}</text>");
        sb.Append(c, $"<text x=\"{F(plotWidth / 2)}\" y=\"{F(PlotHeight + 36)}\" text-anchor=\"middle\">task</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var lx = ((i % legendColumns) * 170.0) - Left + 8;
            var ly = PlotHeight + 52 + (18 * (i / legendColumns));
            sb.Append(c, $"<rect class=\"s{i % 8}\" x=\"{F(lx)}\" y=\"{F(ly)}\" width=\"12\" height=\"12\"/><text x=\"{F(lx + 16)}\" y=\"{F(ly + 10)}\">{E(series[i])}</text>");
        }

        sb.Append("</g></svg>");
        return sb.ToString();
    }
}
