using OpenQA.Selenium.Chrome;

namespace FoodOrdering.Tests.Support;

/// <summary>Debian's Chromium, headless, with a profile of its own, driven through chromedriver.</summary>
internal static class HeadlessChromium
{
    public static ChromeDriver Start(TimeSpan timeout)
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.ChromeDriver)!, Path.GetFileName(ChromiumFactAttribute.ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), "foodordering-chromium", Guid.NewGuid().ToString("N"))}");
        return new ChromeDriver(service, options, timeout);
    }
}
