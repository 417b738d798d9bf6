namespace Mlrb.Tasks;

/// <summary>A task file is malformed. The message names the file, the line and the field.</summary>
public sealed class TaskFileException : FormatException
{
    /// <summary>Creates the exception for a problem at a place in a task file.</summary>
    /// <param name="filePath">The file (or source name) that was read.</param>
    /// <param name="line">1-based line of the problem.</param>
    /// <param name="column">1-based column of the problem.</param>
    /// <param name="field">Dotted path of the field, e.g. <c>evaluation.benchmarks[0].shots</c>.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public TaskFileException(string filePath, int line, int column, string field, string problem, Exception? innerException = null)
        : base($"{filePath}:{line}:{column}: field '{field}': {problem}", innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates the exception.</summary>
    public TaskFileException()
        : this("(unknown)", 0, 0, "(document)", "malformed task file")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TaskFileException(string message)
        : this("(unknown)", 0, 0, "(document)", message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TaskFileException(string message, Exception innerException)
        : this("(unknown)", 0, 0, "(document)", message, innerException)
    {
    }

    /// <summary>The file (or source name) that was read.</summary>
    public string FilePath { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>Dotted path of the field, e.g. <c>evaluation.benchmarks[0].shots</c>; <c>(document)</c> for the file as a whole.</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
