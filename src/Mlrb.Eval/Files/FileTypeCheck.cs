using System.Runtime.InteropServices;

namespace Mlrb.Eval.Files;

/// <summary>
/// Asks the kernel what a path is (following links) before it is opened: opening a named pipe (FIFO) for reading
/// blocks until a writer appears, so a <c>config.json</c> that is a pipe must be refused without opening it.
/// </summary>
internal static partial class FileTypeCheck
{
    private const uint TypeMask = 0xF000;
    private const uint Fifo = 0x1000;
    private const uint Socket = 0xC000;

    /// <summary>True when <paramref name="path"/> is a named pipe or a socket (or a link to one); false otherwise or when unknown.</summary>
    public static bool IsPipeOrSocket(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // st_mode's offset in struct stat: 24 on x86-64, 16 on the generic layout (arm64 and others).
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var buffer = new byte[256];
        if (Stat(path, buffer) != 0)
        {
            return false;
        }

        var type = BitConverter.ToUInt32(buffer, modeOffset) & TypeMask;
        return type is Fifo or Socket;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Stat(string path, [Out] byte[] buffer);
}
