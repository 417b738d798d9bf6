using System.Text.Json.Nodes;

namespace Mlrb.Cli.Viewer.Data;

/// <summary>An evaluation report found in the results folder.</summary>
/// <param name="Name">File name (no folder): the only handle pages use, so no path ever comes from a request.</param>
/// <param name="Report">The parsed JSON.</param>
/// <param name="Modified">Last write time.</param>
internal sealed record ReportFile(string Name, JsonObject Report, DateTimeOffset Modified);
