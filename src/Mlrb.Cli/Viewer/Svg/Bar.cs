namespace Mlrb.Cli.Viewer.Svg;

/// <summary>One bar: a series' mean with its standard error and the individual values behind it.</summary>
/// <param name="Series">The series (agent) name; one color per series.</param>
/// <param name="Mean">Bar height.</param>
/// <param name="Error">Half-length of the error bar (standard error of the mean), or null.</param>
/// <param name="Points">The values averaged (drawn as dots).</param>
internal sealed record Bar(string Series, double Mean, double? Error, IReadOnlyList<double> Points);
