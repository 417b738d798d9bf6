namespace Mlrb.Tools.Http;

/// <summary>A response body that was refused: larger than allowed, or too slow to arrive. Never retried.</summary>
internal sealed class HttpBodyException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, readable by a model.</param>
    /// <param name="status">The response's status code.</param>
    public HttpBodyException(string message, int status)
        : base(message) => Status = status;

    /// <summary>Creates the exception.</summary>
    public HttpBodyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    public HttpBodyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="inner">The cause.</param>
    public HttpBodyException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The response's status code.</summary>
    public int Status { get; }
}
