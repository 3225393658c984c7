namespace FoodOrdering.Tests.Support;

/// <summary>A test that gives a file to another user, which takes root; skipped, saying why, otherwise.</summary>
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            Skip = "Giving a directory to another user (chown) takes root on Unix.";
        }
    }
}
