namespace Mlrb.Cli.Viewer.Svg;

/// <summary>A named line of (x, y) points, x ascending.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">The points.</param>
internal sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points);
