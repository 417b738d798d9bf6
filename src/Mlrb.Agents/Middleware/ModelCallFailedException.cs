namespace Mlrb.Agents.Middleware;

/// <summary>A model call failed in a way retrying cannot fix (or retries ran out).</summary>
internal sealed class ModelCallFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="statusCode">The HTTP status, when one arrived.</param>
    public ModelCallFailedException(string message, int? statusCode)
        : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception.</summary>
    public ModelCallFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public ModelCallFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="inner">The cause.</param>
    public ModelCallFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The HTTP status, when one arrived.</summary>
    public int? StatusCode { get; }
}
