using System.Runtime.InteropServices;

namespace Mlrb.Tools.Workspace;

/// <summary>The few libc calls the guard and the process sandbox need (Linux and macOS).</summary>
internal static partial class LibC
{
    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary><c>PR_SET_DUMPABLE</c>.</summary>
    public const int PrSetDumpable = 4;

    /// <summary>Canonical absolute path with every symlink resolved, or null when it does not exist.</summary>
    /// <param name="path">An existing path.</param>
    /// <returns>The real path or null.</returns>
    public static string? RealPath(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to a process, or to a whole process group when <paramref name="pid"/> is negative.</summary>
    /// <param name="pid">Process id, or minus the process-group id.</param>
    /// <param name="signal">Signal number.</param>
    /// <returns>0 on success, -1 on failure.</returns>
    public static int Kill(int pid, int signal) => NativeKill(pid, signal);

    /// <summary>The real user id of this process.</summary>
    /// <returns>The uid.</returns>
    public static uint GetUid() => NativeGetUid();

    /// <summary><c>prctl</c> with one argument.</summary>
    /// <param name="option">The option.</param>
    /// <param name="argument">Its argument.</param>
    /// <returns>0 on success, -1 on failure.</returns>
    public static int Prctl(int option, long argument) => NativePrctl(option, argument, 0, 0, 0);

    [LibraryImport("libc", EntryPoint = "getuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial uint NativeGetUid();

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativePrctl(int option, long a2, long a3, long a4, long a5);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial void NativeFree(IntPtr pointer);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeKill(int pid, int signal);
}
