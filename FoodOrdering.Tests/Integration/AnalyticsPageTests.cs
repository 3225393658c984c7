using System.Net.Http.Json;
using FoodOrdering.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace FoodOrdering.Tests.Integration;

/// <summary>The console's live analytics in a real headless browser, fed by the whole pipeline on the embedded broker.</summary>
public sealed class AnalyticsPageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

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

        Assert.Equal(("0.00", "none yet"), empty);
        Assert.Equal(("2", "0.40", "Quattro Formaggi Pizza (42.75 USD, 3 sold)", "35.93 USD"), first);
        Assert.Equal(("3", "0.60", "Pepperoni Pizza (78.00 USD, 6 sold)"), second);
        Assert.Equal("Analytics", browser.FindElement(By.CssSelector("#nav a[aria-current]")).Text);
        Assert.Equal(5, browser.FindElements(By.CssSelector(".chart canvas")).Count);
        // A handful of orders is far from the bound on remembered records, so no warning of repeats.
        Assert.False(browser.FindElement(By.Id("analytics-repeats")).Displayed);
    }

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
