namespace Mlrb.Eval.Tokenization;

/// <summary>A tokenizer file is missing, malformed or uses a feature Mlrb does not implement. The message names the file and the field.</summary>
public sealed class TokenizerLoadException : Exception
{
    /// <summary>Creates the exception with a message only.</summary>
    public TokenizerLoadException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public TokenizerLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TokenizerLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one field of one file.</summary>
    /// <param name="file">The file (a path or a short name such as <c>tokenizer.json</c>).</param>
    /// <param name="field">The field, as a JSON path such as <c>model.type</c>; null when the whole file is at fault.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TokenizerLoadException(string file, string? field, string message, Exception? innerException = null)
        : base(Format(file, field, message), innerException)
    {
        File = file;
        Field = field;
    }

    /// <summary>The file at fault, when known.</summary>
    public string? File { get; }

    /// <summary>The field at fault (a JSON path), when known.</summary>
    public string? Field { get; }

    private static string Format(string file, string? field, string message)
        => field is null ? $"{file}: {message}" : $"{file}: field '{field}': {message}";
}
