namespace Mlrb.Cli.Viewer.Svg;

/// <summary>Bars that share an x position (a task).</summary>
/// <param name="Label">The group's label on the x axis.</param>
/// <param name="Bars">One bar per series present in this group.</param>
internal sealed record BarGroup(string Label, IReadOnlyList<Bar> Bars);
