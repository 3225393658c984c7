using System.Runtime.InteropServices;

namespace FoodOrdering.Embedded;

/// <summary>
/// A directory only its owner can read (0700 on Unix), for files with customer data. One that is missing is created
/// so; one that exists with wider permissions is narrowed; one that belongs to another user, whatever its mode, or
/// that is a symbolic link is refused, since whoever owns it or the link could widen it again or read what is written
/// there. Windows gives every user a temp folder of their own, and new folders inherit its access rules.
/// </summary>
internal static class PrivateDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of a file in such a directory: read and written by its owner only (0600).</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Ensure(string path, string setting)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        RefuseLink(path, setting);
        Directory.CreateDirectory(path, OwnerOnly);
        RefuseLink(path, setting);
        RefuseOthers(path, setting);
        if (File.GetUnixFileMode(path) == OwnerOnly)
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException(
                $"{path} can be read by other users and belongs to another user, so it cannot be made private. Remove it, or set {setting} to a directory of your own.", e);
        }
    }

    private static void RefuseLink(string path, string setting)
    {
        if (new DirectoryInfo(path).LinkTarget is not null)
        {
            throw new InvalidOperationException(
                $"{path} is a symbolic link; whoever made it chooses where the files go. Remove it, or set {setting} to a directory of your own.");
        }
    }

    private static void RefuseOthers(string path, string setting)
    {
        if (OwnerOf(path) is { } owner && owner != geteuid())
        {
            throw new InvalidOperationException(
                $"{path} belongs to another user (uid {owner}), who can read it or make it readable whatever its mode. Remove it, or set {setting} to a directory of your own.");
        }
    }

    /// <summary>The directory's owner, where the platform says it without following a link (Linux, macOS); else null.</summary>
    private static uint? OwnerOf(string path)
    {
        var buffer = new byte[512];
        if (OperatingSystem.IsLinux())
        {
            // struct statx has the same layout on every architecture: stx_uid after mask, blksize, attributes, nlink.
            return statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxUid, buffer) == 0
                ? BitConverter.ToUInt32(buffer, 20)
                : throw new IOException($"Reading the owner of {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        if (OperatingSystem.IsMacOS())
        {
            // 64-bit struct stat: st_dev (4), st_mode (2), st_nlink (2), st_ino (8), then st_uid.
            return lstat(path, buffer) == 0
                ? BitConverter.ToUInt32(buffer, 16)
                : throw new IOException($"Reading the owner of {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        return null;
    }

    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern int lstat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    [DllImport("libc")]
    private static extern uint geteuid();
}
