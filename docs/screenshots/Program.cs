// Makes the pictures in docs/images/: starts the AppHost in Embedded mode, places an order under a known trace id,
// and captures the order page, the order's tracking view, the console's live analytics and topics, the dashboard's resources
// and that order's trace with headless Chromium, signed in to the dashboard as a person is, through the login link
// the AppHost prints; README's first picture is the tracking view beside the live analytics. Run from the repository root:
//   dotnet run --project docs/screenshots
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

const string OrderPage = "http://localhost:5181";
const string Dashboard = "http://localhost:15180";
const string Console = "http://localhost:5184";
var timeout = TimeSpan.FromMinutes(3);
var root = FindRepositoryRoot();
var images = Directory.CreateDirectory(Path.Combine(root, "docs", "images")).FullName;

var login = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
// The console asks for the operator key as a person pastes it from the dashboard's parameters; chosen here, it is known.
var operatorKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
using var appHost = StartAppHost(root, operatorKey, login);
try
{
    using var http = new HttpClient { BaseAddress = new Uri(OrderPage), Timeout = TimeSpan.FromSeconds(10) };
    await WaitAsync("the order page", async () => (await http.GetAsync("/menu")).IsSuccessStatusCode, timeout);

    // The order's trace id is chosen here, so its trace can be opened by address.
    var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
    {
        Content = JsonContent.Create(new
        {
            customer = new { name = "Ada Lovelace", email = "ada@example.com" },
            deliveryAddress = "12 Analytical St, London",
            lines = new[] { new { menuItemId = "margherita", quantity = 2 }, new { menuItemId = "tiramisu", quantity = 1 }, new { menuItemId = "cola", quantity = 2 } },
        }),
    };
    request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
    using var placed = await http.SendAsync(request);
    placed.EnsureSuccessStatusCode();
    var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
    await WaitAsync($"order {orderId}'s email", async () =>
        (await http.GetFromJsonAsync<JsonElement>($"/orders/{orderId}")).GetProperty("email").ValueKind == JsonValueKind.Object, timeout);

    using var browser = StartBrowser();
    Capture(browser, $"{OrderPage}/", By.CssSelector("input[data-item='margherita']"), Path.Combine(images, "order-page.png"));
    browser.Navigate().GoToUrl($"{Console}/");
    browser.ExecuteScript("sessionStorage.setItem('foodordering-operator-key', arguments[0]);", operatorKey);
    Capture(browser, $"{Console}/#analytics", By.XPath("//*[@id='analytics-orders' and text()!='0' and text()!='']"), Path.Combine(images, "live-analytics.png"));
    Capture(browser, $"{Console}/#topics", By.XPath("//tr[@data-topic='orders.received']"), Path.Combine(images, "operations-console.png"));
    browser.Navigate().GoToUrl(await login.Task.WaitAsync(timeout));
    Capture(browser, $"{OrderPage}/?track={orderId}", By.XPath("//li[@id='step-email' and text()='Email sent']"), Path.Combine(images, "order-tracking.png"));
    Capture(browser, $"{Dashboard}/", By.XPath("//*[contains(text(),'transactions')]"), Path.Combine(images, "dashboard-resources.png"));
    Capture(browser, $"{Dashboard}/traces/detail/{traceId}", By.XPath("//*[contains(text(),'smtp send')]"), Path.Combine(images, "order-trace.png"));
    SideBySide(browser, Path.Combine(images, "order-tracking.png"), Path.Combine(images, "live-analytics.png"), Path.Combine(images, "first-screen.png"));
    System.Console.WriteLine($"Wrote 7 images to {images}");
}
finally
{
    // The AppHost stops its services when it stops; SIGTERM lets it do so.
    Process.Start("kill", ["-TERM", appHost.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
    if (!appHost.WaitForExit(TimeSpan.FromSeconds(30)))
    {
        appHost.Kill(entireProcessTree: true);
    }
}

static Process StartAppHost(string root, string operatorKey, TaskCompletionSource<string> login)
{
    var start = new ProcessStartInfo("dotnet", ["run", "--project", "FoodOrdering.AppHost", "--", "--Infrastructure", "Embedded", "--Parameters:operator-api-key", operatorKey])
    {
        WorkingDirectory = root,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, line) =>
    {
        if (line.Data?.IndexOf($"{Dashboard}/login?t=", StringComparison.Ordinal) is >= 0 and var at)
        {
            login.TrySetResult(line.Data[at..].Trim());
        }
    };
    process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) System.Console.Error.WriteLine(text); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static ChromeDriver StartBrowser()
{
    var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
    service.SuppressInitialDiagnosticInformation = true;
    var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
    options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900", "--force-device-scale-factor=1");
    return new ChromeDriver(service, options, TimeSpan.FromMinutes(1));
}

static void Capture(ChromeDriver browser, string url, By ready, string file)
{
    browser.Navigate().GoToUrl(url);
    new WebDriverWait(browser, TimeSpan.FromSeconds(60)).Until(page => page.FindElements(ready).Count > 0);
    // Let the last renders and animations settle before the picture.
    Thread.Sleep(TimeSpan.FromSeconds(2));
    browser.GetScreenshot().SaveAsFile(file);
    System.Console.WriteLine($"{file} ← {url}");
}

// README's first picture: the order page's column (the tracked order, then the menu) beside the live analytics, laid
// out by the browser from the two pictures just taken, so no image library is needed.
static void SideBySide(ChromeDriver browser, string orderPage, string analytics, string file)
{
    const int ColumnLeft = 300, ColumnWidth = 680, AnalyticsWidth = 1280;
    var page = Path.Combine(Path.GetTempPath(), $"foodordering-first-screen-{Guid.NewGuid():N}.html");
    File.WriteAllText(page, $"""
        <!DOCTYPE html>
        <body style="margin:0;display:flex;background:#fff">
          <div style="width:{ColumnWidth}px;overflow:hidden;border-right:1px solid #ccc"><img src="{new Uri(orderPage)}" style="margin-left:-{ColumnLeft}px;display:block"></div>
          <img id="analytics" src="{new Uri(analytics)}" style="display:block">
        </body>
        """);
    try
    {
        var size = browser.Manage().Window.Size;
        browser.Manage().Window.Size = new System.Drawing.Size(ColumnWidth + 1 + AnalyticsWidth, size.Height);
        Capture(browser, new Uri(page).ToString(), By.Id("analytics"), file);
        browser.Manage().Window.Size = size;
    }
    finally
    {
        File.Delete(page);
    }
}

static async Task WaitAsync(string what, Func<Task<bool>> ready, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (true)
    {
        try
        {
            if (await ready())
            {
                return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Not up yet, or too busy starting to answer within the client's timeout.
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"Waited {timeout} for {what}.");
        }

        await Task.Delay(500);
    }
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
        {
            return directory.FullName;
        }
    }

    throw new DirectoryNotFoundException("Run this from inside the repository.");
}
