namespace Mlrb.Tasks;

/// <summary>Thrown when a task name is not in the catalog.</summary>
public sealed class UnknownTaskException : KeyNotFoundException
{
    /// <summary>Creates the exception for <paramref name="name"/>.</summary>
    /// <param name="name">The name that was asked for.</param>
    /// <param name="knownNames">The names the catalog holds.</param>
    public UnknownTaskException(string name, IReadOnlyList<string> knownNames)
        : base($"Unknown task '{name}'. Known tasks: {string.Join(", ", knownNames)}.")
    {
        TaskName = name;
        KnownNames = knownNames;
    }

    /// <summary>Creates the exception without a task name.</summary>
    public UnknownTaskException()
        : this("(none)", [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UnknownTaskException(string message)
        : base(message)
    {
        TaskName = string.Empty;
        KnownNames = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownTaskException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskName = string.Empty;
        KnownNames = [];
    }

    /// <summary>The name that was asked for.</summary>
    public string TaskName { get; }

    /// <summary>The names the catalog holds.</summary>
    public IReadOnlyList<string> KnownNames { get; }
}
