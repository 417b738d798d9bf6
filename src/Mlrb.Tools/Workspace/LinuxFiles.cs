using System.Runtime.InteropServices;

namespace Mlrb.Tools.Workspace;

/// <summary>
/// The Linux file-system calls the race-free workspace access needs: <c>openat2</c> (system call 437 on x86_64 and
/// aarch64), <c>openat</c>, <c>mkdirat</c>, <c>renameat</c>, <c>unlinkat</c>, <c>statx</c>, <c>fchmod</c>, <c>close</c>.
/// Flag values differ between architectures for <c>O_DIRECTORY</c> and <c>O_NOFOLLOW</c>; both are handled.
/// </summary>
internal static partial class LinuxFiles
{
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONoCtty = 0x100;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int OPath = 0x200000;
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtEmptyPath = 0x1000;
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveBeneath = 0x08;

    public const int ENoEnt = 2;
    public const int EPerm = 1;
    public const int EExist = 17;
    public const int ENotDir = 20;
    public const int EIsDir = 21;
    public const int EXDev = 18;
    public const int ENoSys = 38;
    public const int ELoop = 40;
    public const int E2Big = 7;
    public const int EAgain = 11;
    public const int EInval = 22;

    /// <summary>File type bits of <c>st_mode</c>.</summary>
    public const int SIfMt = 0xF000;
    public const int SIfReg = 0x8000;
    public const int SIfDir = 0x4000;
    public const int SIfLnk = 0xA000;

    private const long SysOpenat2 = 437;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary><c>O_DIRECTORY</c> for this architecture.</summary>
    public static int ODirectory => IsArm ? 0x4000 : 0x10000;

    /// <summary><c>O_NOFOLLOW</c> for this architecture.</summary>
    public static int ONoFollow => IsArm ? 0x8000 : 0x20000;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64;

    /// <summary>Whether this process can use the calls at all (Linux on x86_64 or aarch64).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary><c>openat2</c>; returns the descriptor or -errno.</summary>
    public static int OpenAt2(int dirFd, string path, int flags, int mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = (ulong)(uint)mode, Resolve = resolve };
        var result = (int)Syscall4(SysOpenat2, dirFd, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
        return result < 0 ? -Marshal.GetLastPInvokeError() : result;
    }

    /// <summary><c>openat</c>; returns the descriptor or -errno.</summary>
    public static int OpenAt(int dirFd, string path, int flags, int mode)
    {
        var fd = NativeOpenAt(dirFd, path, flags, mode);
        return fd < 0 ? -Marshal.GetLastPInvokeError() : fd;
    }

    /// <summary><c>mkdirat</c>; 0 or -errno.</summary>
    public static int MkdirAt(int dirFd, string name, int mode) => NativeMkdirAt(dirFd, name, mode) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary><c>renameat</c>; 0 or -errno.</summary>
    public static int RenameAt(int fromDir, string from, int toDir, string to) => NativeRenameAt(fromDir, from, toDir, to) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary><c>unlinkat</c>; 0 or -errno.</summary>
    public static int UnlinkAt(int dirFd, string name, int flags) => NativeUnlinkAt(dirFd, name, flags) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary><c>fchmod</c>; 0 or -errno.</summary>
    public static int FChmod(int fd, int mode) => NativeFChmod(fd, mode) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary>Closes a descriptor.</summary>
    public static void Close(int fd)
    {
        if (fd >= 0)
        {
            _ = NativeClose(fd);
        }
    }

    /// <summary><c>statx</c> of <paramref name="name"/> under <paramref name="dirFd"/> (empty name: the descriptor itself), links not followed.</summary>
    /// <returns>0 or -errno; mode, size and link count.</returns>
    public static int Stat(int dirFd, string name, out int mode, out long size, out int links)
    {
        var buffer = new byte[256];
        var flags = AtSymlinkNoFollow | (name.Length == 0 ? AtEmptyPath : 0);
        var rc = NativeStatx(dirFd, name, flags, StatxBasicStats, buffer);
        if (rc != 0)
        {
            (mode, size, links) = (0, 0, 0);
            return -Marshal.GetLastPInvokeError();
        }

        links = (int)BitConverter.ToUInt32(buffer, 16);
        mode = BitConverter.ToUInt16(buffer, 28);
        size = (long)BitConverter.ToUInt64(buffer, 40);
        return 0;
    }

    /// <summary>The text of an errno.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial long Syscall4(long number, long dirFd, string path, ref OpenHow how, nuint size);

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeOpenAt(int dirFd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeMkdirAt(int dirFd, string path, int mode);

    [LibraryImport("libc", EntryPoint = "renameat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeRenameAt(int fromDir, string from, int toDir, string to);

    [LibraryImport("libc", EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeUnlinkAt(int dirFd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeFChmod(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeClose(int fd);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeStatx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
