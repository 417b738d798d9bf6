namespace Mlrb.Eval.Data;

/// <summary>Collects skipped rows; in strict mode the first bad row throws instead.</summary>
internal sealed class DataIssueLog
{
    private readonly List<DataIssue> _issues = [];

    /// <summary>Creates the log.</summary>
    /// <param name="strict">Throw on the first bad row.</param>
    /// <param name="maxRowBytes">Largest data row read; a longer row is a bad row.</param>
    public DataIssueLog(bool strict, int maxRowBytes = JsonlFile.DefaultMaxRowBytes)
    {
        Strict = strict;
        MaxRowBytes = maxRowBytes > 0 ? maxRowBytes : throw new ArgumentOutOfRangeException(nameof(maxRowBytes), "must be positive");
    }

    /// <summary>Largest data row read, in bytes.</summary>
    public int MaxRowBytes { get; }

    /// <summary>Whether a bad row throws.</summary>
    public bool Strict { get; }

    /// <summary>The rows skipped so far.</summary>
    public IReadOnlyList<DataIssue> Issues => _issues;

    /// <summary>Records a bad row (or throws in strict mode).</summary>
    public void Report(string file, int line, string message)
    {
        if (Strict)
        {
            throw new BenchmarkDataException(file, line, message);
        }

        _issues.Add(new DataIssue(file, line, message));
    }
}
