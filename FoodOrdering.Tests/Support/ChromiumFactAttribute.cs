namespace FoodOrdering.Tests.Support;

/// <summary>A test that drives Debian's Chromium through chromedriver; skipped, saying why, where they are not installed.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
        {
            Skip = $"Needs {Chromium} and {ChromeDriver} (apt-get install chromium chromium-driver; .ci/run installs them).";
        }
    }
}
