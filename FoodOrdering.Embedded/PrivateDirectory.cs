namespace FoodOrdering.Embedded;

/// <summary>
/// A directory only its owner can read (0700 on Unix), for files with customer data. One that is missing is created
/// so; one that exists with wider permissions is narrowed, and one that cannot be (it is another user's) or that is a
/// symbolic link is refused, since whoever owns it or the link could read what is written there. The check rests on
/// only a directory's owner being able to change its mode, so it does not hold for root. Windows gives every user a
/// temp folder of their own, and new folders inherit its access rules.
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
}
