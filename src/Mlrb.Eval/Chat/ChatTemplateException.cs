namespace Mlrb.Eval.Chat;

/// <summary>A chat template that does not parse, or that refuses the messages (its <c>raise_exception</c>), or fails while rendering.</summary>
public sealed class ChatTemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatTemplateException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public ChatTemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ChatTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
