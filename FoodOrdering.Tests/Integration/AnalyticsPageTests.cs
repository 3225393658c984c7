using System.Net.Http.Json;
using FoodOrdering.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace FoodOrdering.Tests.Integration;

/// <summary>The console's live analytics in a real headless browser, fed by the whole pipeline on the embedded broker.</summary>
public sealed class AnalyticsPageTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.BrowserPage;

    [ChromiumFact]
    public async Task AnOperatorWatchesRevenueOrdersPerMinuteAndTheTopItemChangeAsOrdersArePlaced()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var producer = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        using var browser = HeadlessChromium.Start(Timeout);
        var wait = new WebDriverWait(browser, Timeout);

        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, "/#analytics"));
        wait.Until(page => Text(page, "analytics-revenue") == "0.00 USD");
        var empty = (Text(browser, "analytics-orders-per-minute"), Text(browser, "analytics-top-item"));
        // 2 × 13.00 + 3.10 and 3 × 14.25: the quattro formaggi leads by revenue.
        await PlaceAsync(producer, ("pepperoni", 2), ("lemonade", 1));
        await PlaceAsync(producer, ("quattro-formaggi", 3));
        wait.Until(page => Text(page, "analytics-revenue") == "71.85 USD");
        var first = (Text(browser, "analytics-orders"), Text(browser, "analytics-orders-per-minute"), Text(browser, "analytics-top-item"), Text(browser, "analytics-average"));
        // 4 × 13.00 more: pepperoni, 78.00 over 6, overtakes it.
        await PlaceAsync(producer, ("pepperoni", 4));
        wait.Until(page => Text(page, "analytics-revenue") == "123.85 USD");
        var second = (Text(browser, "analytics-orders"), Text(browser, "analytics-orders-per-minute"), Text(browser, "analytics-top-item"));
        var emptyCharts = EmptyChartNotes(browser);

        Assert.Equal(("0.00", "none yet"), empty);
        Assert.Equal(("2", "0.40", "Quattro Formaggi Pizza (42.75 USD, 3 sold)", "35.93 USD"), first);
        Assert.Equal(("3", "0.60", "Pepperoni Pizza (78.00 USD, 6 sold)"), second);
        Assert.Equal("Analytics", browser.FindElement(By.CssSelector("#nav a[aria-current]")).Text);
        Assert.Equal(5, browser.FindElements(By.CssSelector(".chart canvas")).Count);
        // Every order was confirmed, so only the rejections chart has nothing to draw.
        Assert.Equal(["No rejections in the last 5 minutes."], emptyCharts);
        // A handful of orders is far from the bound on remembered records, so no warning of repeats.
        Assert.False(browser.FindElement(By.Id("analytics-repeats")).Displayed);
    }

    [ChromiumFact]
    public async Task EveryChartSaysInWordsThatItHasNothingToShowWhenNoOrderWasPlaced()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        using var browser = HeadlessChromium.Start(Timeout);
        var wait = new WebDriverWait(browser, Timeout);

        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, "/#analytics"));
        wait.Until(page => Text(page, "analytics-revenue") == "0.00 USD");
        var notes = EmptyChartNotes(browser);
        var drawnCharts = browser.FindElements(By.CssSelector(".chart canvas")).Count(canvas => canvas.GetCssValue("visibility") != "hidden");
        var items = Text(browser, "analytics-items");
        browser.FindElement(By.CssSelector("#analytics-range option[value='60']")).Click();
        wait.Until(page => EmptyChartNotes(page).FirstOrDefault() == "No orders in the last 60 minutes.");
        var hourNotes = EmptyChartNotes(browser);

        Assert.Equal(
            ["No orders in the last 5 minutes.", "No items sold in the last 5 minutes.", "No items sold in the last 5 minutes.",
                "No revenue in the last 5 minutes.", "No rejections in the last 5 minutes."],
            notes);
        Assert.Equal(0, drawnCharts);
        Assert.Equal("No items sold in the last 5 minutes.", items);
        Assert.Equal(5, hourNotes.Length);
        Assert.All(hourNotes, note => Assert.EndsWith(" in the last 60 minutes.", note));
    }

    private static string[] EmptyChartNotes(ISearchContext page) =>
        [.. page.FindElements(By.CssSelector(".chart .chart-empty")).Where(note => note.Displayed).Select(note => note.Text)];

    private static async Task PlaceAsync(ProducerApp producer, params (string Item, int Quantity)[] lines)
    {
        using var response = await producer.Client.PostAsJsonAsync("/orders", new
        {
            customer = new { name = "Grace Hopper", email = "grace@example.com" },
            deliveryAddress = "1 Harvard Yard, Cambridge",
            lines = lines.Select(line => new { menuItemId = line.Item, quantity = line.Quantity }),
        });
        response.EnsureSuccessStatusCode();
    }

    private static string Text(ISearchContext page, string id) => page.FindElement(By.Id(id)).Text;
}
