namespace FoodOrdering.Tests.Support;

/// <summary>A test of Unix file modes; skipped, saying why, on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file modes do not exist on Windows, which keeps each user's temp folder private by its access rules.";
        }
    }
}
