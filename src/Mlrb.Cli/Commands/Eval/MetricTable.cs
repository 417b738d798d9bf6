using System.Globalization;
using System.Text;

namespace Mlrb.Cli.Commands.Eval;

/// <summary>Renders Metric | Value rows as a plain-text table.</summary>
internal static class MetricTable
{
    /// <summary>The table text.</summary>
    public static string Render(IReadOnlyList<(string Metric, string Value)> rows, string title)
    {
        var w1 = Math.Max("Metric".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Metric.Length));
        var w2 = Math.Max("Value".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Value.Length));
        var line = "+" + new string('-', w1 + 2) + "+" + new string('-', w2 + 2) + "+";
        var sb = new StringBuilder().AppendLine(title).AppendLine(line);
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {"Metric".PadRight(w1)} | {"Value".PadRight(w2)} |").AppendLine(line);
        foreach (var (metric, value) in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {metric.PadRight(w1)} | {value.PadRight(w2)} |");
        }

        return sb.AppendLine(line).ToString();
    }
}
