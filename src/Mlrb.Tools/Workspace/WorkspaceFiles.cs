using Microsoft.Win32.SafeHandles;

namespace Mlrb.Tools.Workspace;

/// <summary>
/// Opens, reads and writes files inside the workspace without a time-of-check/time-of-use gap. Every path is opened
/// from a descriptor of the workspace folder with <c>openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)</c>, so a symbolic
/// link swapped in after <see cref="WorkspaceGuard.TryResolve"/> cannot lead outside; where <c>openat2</c> is missing
/// (Linux before 5.6, or blocked by seccomp) it walks component by component with <c>O_NOFOLLOW</c> and refuses every
/// link. Writes go to a new temporary file in the target's folder, then <c>renameat</c> replaces the name, so neither a
/// link nor an existing hard link can redirect them. On systems other than Linux it falls back to plain path calls.
/// </summary>
/// <param name="guard">The workspace's guard (its real root).</param>
internal sealed class WorkspaceFiles(WorkspaceGuard guard)
{
    private static int s_noOpenat2;

    /// <summary>Whether the component walk is used instead of <c>openat2</c> (set on the first ENOSYS/EPERM; tests force it).</summary>
    internal static bool ForceComponentWalk { get; set; }

    /// <summary>What a path names.</summary>
    public enum Kind
    {
        /// <summary>Nothing.</summary>
        Missing,

        /// <summary>A regular file.</summary>
        File,

        /// <summary>A folder.</summary>
        Folder,

        /// <summary>Anything else (device, FIFO, socket).</summary>
        Other,
    }

    /// <summary>What <paramref name="fullPath"/> (resolved by the guard) names now.</summary>
    /// <param name="fullPath">A path inside the workspace.</param>
    /// <returns>Its kind.</returns>
    public Kind KindOf(string fullPath)
    {
        if (!LinuxFiles.Supported)
        {
            return Directory.Exists(fullPath) ? Kind.Folder : File.Exists(fullPath) ? Kind.File : Kind.Missing;
        }

        var fd = Open(Relative(fullPath), LinuxFiles.OPath, 0, out var errno);
        if (fd < 0)
        {
            return errno is LinuxFiles.ENoEnt or LinuxFiles.ENotDir ? Kind.Missing : throw Failure(fullPath, errno);
        }

        try
        {
            _ = LinuxFiles.Stat(fd, "", out var mode, out _, out _);
            return (mode & LinuxFiles.SIfMt) switch
            {
                LinuxFiles.SIfReg => Kind.File,
                LinuxFiles.SIfDir => Kind.Folder,
                _ => Kind.Other,
            };
        }
        finally
        {
            LinuxFiles.Close(fd);
        }
    }

    /// <summary>Reads a regular file inside the workspace.</summary>
    /// <param name="fullPath">A path inside the workspace.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="IOException">Missing, not a regular file, too large, or its path leads outside.</exception>
    public byte[] ReadAllBytes(string fullPath, long maxBytes = 256L * 1024 * 1024)
    {
        if (!LinuxFiles.Supported)
        {
            return File.ReadAllBytes(fullPath);
        }

        var fd = Open(Relative(fullPath), LinuxFiles.ORdOnly | LinuxFiles.ONonBlock | LinuxFiles.ONoCtty, 0, out var errno);
        if (fd < 0)
        {
            throw Failure(fullPath, errno);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        _ = LinuxFiles.Stat(fd, "", out var mode, out var size, out _);
        if ((mode & LinuxFiles.SIfMt) != LinuxFiles.SIfReg)
        {
            throw new IOException($"'{guard.Relative(fullPath)}' is not a regular file.");
        }

        if (size > maxBytes)
        {
            throw new IOException($"'{guard.Relative(fullPath)}' is {size} bytes, over the {maxBytes}-byte limit for reading it here.");
        }

        using var stream = new FileStream(handle, FileAccess.Read, 1);
        using var copy = new MemoryStream((int)size);
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Replaces (or creates) <paramref name="fullPath"/> with <paramref name="content"/>: folders are created beneath the
    /// workspace, the bytes go to a temporary file in the same folder, which is then renamed over the name. An existing
    /// file's permissions are kept.
    /// </summary>
    /// <param name="fullPath">A path inside the workspace.</param>
    /// <param name="content">The bytes.</param>
    /// <exception cref="IOException">The name is a folder, or its path leads outside.</exception>
    public void WriteAllBytes(string fullPath, ReadOnlySpan<byte> content)
    {
        if (!LinuxFiles.Supported)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            File.WriteAllBytes(fullPath, content.ToArray());
            return;
        }

        var (folder, name) = Split(fullPath);
        var dirFd = OpenFolder(folder, create: true, fullPath);
        try
        {
            var mode = 0x1B6; // 0666, less the umask
            var keepMode = false;
            if (LinuxFiles.Stat(dirFd, name, out var existing, out _, out _) == 0)
            {
                switch (existing & LinuxFiles.SIfMt)
                {
                    case LinuxFiles.SIfDir:
                        throw new IOException($"'{guard.Relative(fullPath)}' is a folder, not a file.");
                    case LinuxFiles.SIfReg:
                        mode = existing & 0xFFF;
                        keepMode = true;
                        break;
                }
            }

            var temp = $".{(name.Length > 100 ? name[..100] : name)}.{Guid.NewGuid():N}.mlrb-tmp";
            var fd = LinuxFiles.OpenAt(dirFd, temp, LinuxFiles.OWrOnly | LinuxFiles.OCreat | LinuxFiles.OExcl | LinuxFiles.ONoFollow | LinuxFiles.OCloExec, mode);
            if (fd < 0)
            {
                throw Failure(fullPath, -fd);
            }

            try
            {
                using (var handle = new SafeFileHandle(fd, ownsHandle: true))
                {
                    if (keepMode)
                    {
                        _ = LinuxFiles.FChmod(fd, mode);
                    }

                    using var stream = new FileStream(handle, FileAccess.Write, 1);
                    stream.Write(content);
                }

                var rc = LinuxFiles.RenameAt(dirFd, temp, dirFd, name);
                if (rc < 0)
                {
                    throw Failure(fullPath, -rc);
                }
            }
            catch
            {
                _ = LinuxFiles.UnlinkAt(dirFd, temp, 0);
                throw;
            }
        }
        finally
        {
            LinuxFiles.Close(dirFd);
        }
    }

    /// <summary>Creates a new file (it must not exist) for streaming, its folders created beneath the workspace.</summary>
    /// <param name="fullPath">A path inside the workspace.</param>
    /// <returns>A writable stream.</returns>
    /// <exception cref="IOException">It exists, or its path leads outside.</exception>
    public FileStream CreateNew(string fullPath)
    {
        if (!LinuxFiles.Supported)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            return new FileStream(fullPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }

        var (folder, name) = Split(fullPath);
        var dirFd = OpenFolder(folder, create: true, fullPath);
        try
        {
            var fd = LinuxFiles.OpenAt(dirFd, name, LinuxFiles.OWrOnly | LinuxFiles.OCreat | LinuxFiles.OExcl | LinuxFiles.ONoFollow | LinuxFiles.OCloExec, 0x1A4);
            return fd < 0 ? throw Failure(fullPath, -fd) : new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
        }
        finally
        {
            LinuxFiles.Close(dirFd);
        }
    }

    private (string Folder, string Name) Split(string fullPath)
    {
        var relative = Relative(fullPath);
        if (relative == ".")
        {
            throw new IOException("the workspace itself is a folder, not a file.");
        }

        var slash = relative.LastIndexOf('/');
        return slash < 0 ? (".", relative) : (relative[..slash], relative[(slash + 1)..]);
    }

    /// <summary>Opens (creating when asked) a folder beneath the workspace, one component at a time.</summary>
    private int OpenFolder(string relative, bool create, string forMessage)
    {
        var flags = LinuxFiles.OPath | LinuxFiles.ODirectory;
        var fd = Open(relative, flags, 0, out var errno);
        if (fd >= 0 || !create || errno != LinuxFiles.ENoEnt)
        {
            return fd >= 0 ? fd : throw Failure(forMessage, errno);
        }

        var parts = relative.Split('/');
        var prefix = ".";
        foreach (var part in parts)
        {
            var parentFd = Open(prefix, flags, 0, out errno);
            if (parentFd < 0)
            {
                throw Failure(forMessage, errno);
            }

            try
            {
                var rc = LinuxFiles.MkdirAt(parentFd, part, 0x1FF);
                if (rc < 0 && -rc != LinuxFiles.EExist)
                {
                    throw Failure(forMessage, -rc);
                }
            }
            finally
            {
                LinuxFiles.Close(parentFd);
            }

            prefix = prefix == "." ? part : prefix + "/" + part;
        }

        fd = Open(relative, flags, 0, out errno);
        return fd >= 0 ? fd : throw Failure(forMessage, errno);
    }

    /// <summary>Opens <paramref name="relative"/> beneath the workspace; the descriptor, or -1 with <paramref name="errno"/>.</summary>
    private int Open(string relative, int flags, int mode, out int errno)
    {
        errno = 0;
        var root = LinuxFiles.OpenAt(LinuxFiles.AtFdCwd, guard.Root, LinuxFiles.OPath | LinuxFiles.ODirectory | LinuxFiles.OCloExec, 0);
        if (root < 0)
        {
            errno = -root;
            return -1;
        }

        try
        {
            if (!ForceComponentWalk && Volatile.Read(ref s_noOpenat2) == 0)
            {
                var fd = LinuxFiles.OpenAt2(root, relative, flags | LinuxFiles.OCloExec, mode, LinuxFiles.ResolveBeneath | LinuxFiles.ResolveNoMagicLinks);
                if (fd >= 0)
                {
                    return fd;
                }

                if (-fd is not (LinuxFiles.ENoSys or LinuxFiles.EPerm or LinuxFiles.E2Big))
                {
                    errno = -fd;
                    return -1;
                }

                Volatile.Write(ref s_noOpenat2, 1);
            }

            return Walk(root, relative, flags, mode, out errno);
        }
        finally
        {
            LinuxFiles.Close(root);
        }
    }

    /// <summary>The fallback: each component opened with <c>O_NOFOLLOW</c> from its parent's descriptor; links are refused.</summary>
    private static int Walk(int root, string relative, int flags, int mode, out int errno)
    {
        errno = 0;
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            errno = LinuxFiles.EXDev;
            return -1;
        }

        var current = LinuxFiles.OpenAt(root, ".", LinuxFiles.OPath | LinuxFiles.ODirectory | LinuxFiles.OCloExec, 0);
        for (var i = 0; i < parts.Length && current >= 0; i++)
        {
            var last = i == parts.Length - 1;
            var next = last
                ? LinuxFiles.OpenAt(current, parts[i], flags | LinuxFiles.ONoFollow | LinuxFiles.OCloExec, mode)
                : LinuxFiles.OpenAt(current, parts[i], LinuxFiles.OPath | LinuxFiles.ODirectory | LinuxFiles.ONoFollow | LinuxFiles.OCloExec, 0);
            LinuxFiles.Close(current);
            current = next;
        }

        if (current < 0)
        {
            errno = -current;
            return -1;
        }

        // O_PATH | O_NOFOLLOW opens a final link itself rather than failing: refuse it like any other link.
        if ((flags & LinuxFiles.OPath) != 0 && LinuxFiles.Stat(current, "", out var m, out _, out _) == 0 && (m & LinuxFiles.SIfMt) == LinuxFiles.SIfLnk)
        {
            LinuxFiles.Close(current);
            errno = LinuxFiles.ELoop;
            return -1;
        }

        return current;
    }

    private string Relative(string fullPath) => guard.Relative(fullPath);

    private IOException Failure(string fullPath, int errno)
    {
        var shown = guard.Relative(fullPath);
        return errno switch
        {
            LinuxFiles.EXDev => new IOException($"'{shown}' leads outside the workspace {guard.Root} (a symbolic link changed under the call); nothing was read or written."),
            LinuxFiles.ELoop => new IOException($"'{shown}' goes through a symbolic link that is not allowed here (links must stay inside the workspace); nothing was read or written."),
            LinuxFiles.ENoEnt => new FileNotFoundException($"'{shown}' does not exist."),
            LinuxFiles.ENotDir => new IOException($"a folder in '{shown}' is a file."),
            LinuxFiles.EIsDir => new IOException($"'{shown}' is a folder, not a file."),
            _ => new IOException($"'{shown}': {LinuxFiles.Describe(errno)}."),
        };
    }
}
