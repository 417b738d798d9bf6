using System.Globalization;

namespace Mlrb.Eval.Files;

/// <summary>
/// Reads model and tokenizer files with a size limit, refusing anything that is not a regular file (a device such as
/// <c>/dev/zero</c>, or a link to one): their reported length is 0 yet reads never end.
/// </summary>
internal static class BoundedFile
{
    /// <summary>Limit for <c>config.json</c>, <c>generation_config.json</c>, <c>tokenizer_config.json</c>, index files.</summary>
    public const long ConfigLimit = 64L << 20;

    /// <summary>Limit for <c>tokenizer.json</c>, vocabularies and SentencePiece models.</summary>
    public const long TokenizerLimit = 1L << 30;

    /// <summary>Reads the whole file, or throws <see cref="FileLimitException"/> with a one-line reason.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">Largest size accepted, in bytes.</param>
    public static byte[] ReadAllBytes(string path, long limit)
    {
        using var stream = OpenRead(path, limit);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        if (stream.ReadByte() >= 0)
        {
            throw NotRegular(path);
        }

        return bytes;
    }

    /// <summary>Reads the whole file as UTF-8 text (a byte-order mark is dropped), within the limit.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">Largest size accepted, in bytes.</param>
    public static string ReadAllText(string path, long limit)
        => System.Text.Encoding.UTF8.GetString(ReadAllBytes(path, limit)).TrimStart('\uFEFF');

    /// <summary>Opens a regular file of at most <paramref name="limit"/> bytes for reading.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">Largest size accepted, in bytes.</param>
    public static FileStream OpenRead(string path, long limit)
    {
        if (Directory.Exists(path))
        {
            throw new FileLimitException(path, "is a folder, not a file.");
        }

        if (FileTypeCheck.IsPipeOrSocket(path))
        {
            throw NotRegular(path);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            var length = stream.Length;
            if (length > limit)
            {
                throw new FileLimitException(path, string.Create(CultureInfo.InvariantCulture, $"is {length:N0} bytes, over the {limit:N0}-byte limit for this file."));
            }

            // A device reports length 0 but still has bytes to read.
            if (length == 0 && stream.ReadByte() >= 0)
            {
                throw NotRegular(path);
            }

            stream.Position = 0;
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Throws when <paramref name="path"/> is a device or other non-regular file.</summary>
    public static void RequireRegular(string path)
    {
        using var stream = OpenRead(path, long.MaxValue);
    }

    private static FileLimitException NotRegular(string path) => new(path, "is not a regular file (a device, pipe or a link to one); refusing to read it.");
}
