namespace Mlrb.Eval.Files;

/// <summary>A file is too large or not a regular file; <see cref="Reason"/> says which without the path.</summary>
internal sealed class FileLimitException : IOException
{
    public FileLimitException(string path, string reason)
        : base($"{path}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, e.g. "is not a regular file ...".</summary>
    public string Reason { get; }
}
