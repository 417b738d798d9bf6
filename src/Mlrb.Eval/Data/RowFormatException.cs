namespace Mlrb.Eval.Data;

/// <summary>Thrown by row accessors; the reader turns it into a <see cref="DataIssue"/> with file and line.</summary>
internal sealed class RowFormatException : Exception
{
    public RowFormatException()
    {
    }

    public RowFormatException(string message)
        : base(message)
    {
    }

    public RowFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
