namespace Mlrb.Eval.Models;

/// <summary>A model folder, configuration or weight file is missing, malformed or unsupported.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the file and the field at fault.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="field">The field, tensor or header entry.</param>
    /// <param name="problem">What is wrong with it.</param>
    public ModelFormatException(string filePath, string? field, string problem)
        : base(field is null ? $"{filePath}: {problem}" : $"{filePath}: '{field}': {problem}")
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>The file at fault, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The field, tensor or header entry at fault, when known.</summary>
    public string? Field { get; }
}
