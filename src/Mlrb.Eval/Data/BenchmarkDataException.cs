namespace Mlrb.Eval.Data;

/// <summary>Benchmark data that cannot be read: a missing file, a malformed row or a value out of range.</summary>
public sealed class BenchmarkDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BenchmarkDataException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public BenchmarkDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public BenchmarkDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a place in a file.</summary>
    /// <param name="file">The file.</param>
    /// <param name="line">The 1-based line (0 when the whole file is meant).</param>
    /// <param name="message">What is wrong.</param>
    public BenchmarkDataException(string file, int line, string message)
        : base(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The file at fault, when known.</summary>
    public string? File { get; }

    /// <summary>The 1-based line at fault, or 0.</summary>
    public int Line { get; }
}
