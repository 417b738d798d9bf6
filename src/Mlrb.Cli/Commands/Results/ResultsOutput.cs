namespace Mlrb.Cli.Commands.Results;

/// <summary>How <c>mlrb results</c> and <c>mlrb bench</c> print the report.</summary>
internal enum ResultsOutput
{
    /// <summary>Text tables.</summary>
    Table,

    /// <summary>The whole report as JSON.</summary>
    Json,

    /// <summary>CSV.</summary>
    Csv,
}
