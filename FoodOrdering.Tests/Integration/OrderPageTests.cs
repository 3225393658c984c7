using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace FoodOrdering.Tests.Integration;

/// <summary>The order page in a real headless browser, against the real API and the embedded broker.</summary>
public sealed class OrderPageTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.BrowserPage;

    [ChromiumFact]
    public async Task APersonPlacesAnOrderAndSeesItsIdAndTheOrderIsOnTheLog()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(producer.BaseAddress);
        var wait = new WebDriverWait(browser, Timeout);

        wait.Until(page => page.FindElements(By.CssSelector("input[data-item='pepperoni']")).Count == 1);
        SetQuantity(browser, "pepperoni", 2);
        SetQuantity(browser, "lemonade", 1);
        // 2 × 13.00 + 3.10, the 2.50 fee, 8 % tax of 31.60 rounded to 2.53: the price Transactions will confirm.
        Assert.Equal(("29.10", "2.50", "2.53", "34.13"), (Text(browser, "estimate-subtotal"), Text(browser, "estimate-fee"), Text(browser, "estimate-tax"), Text(browser, "total")));
        browser.FindElement(By.Id("name")).SendKeys("Margaret Hamilton");
        browser.FindElement(By.Id("email")).SendKeys("margaret@example.com");
        browser.FindElement(By.Id("address")).SendKeys("1 Apollo Way, Boston");
        browser.FindElement(By.Id("place-order")).Click();
        var orderId = wait.Until(page => page.FindElement(By.Id("order-id")).Text is { Length: > 0 } id ? id : null);

        var order = Assert.Single(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced));
        Assert.Equal(orderId, order.OrderId.ToString());
        Assert.Equal([new OrderLine("pepperoni", 2), new OrderLine("lemonade", 1)], order.Lines);
        Assert.Equal("margaret@example.com", order.Customer.Email);
    }

    [ChromiumFact]
    public async Task ValidationErrorsAppearNextToTheirFields()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(producer.BaseAddress);
        var wait = new WebDriverWait(browser, Timeout);

        wait.Until(page => page.FindElements(By.CssSelector("input[data-item='cola']")).Count == 1);
        browser.FindElement(By.Id("name")).SendKeys("Ada");
        browser.FindElement(By.Id("email")).SendKeys("ada-at-example");
        browser.FindElement(By.Id("place-order")).Click();

        var emailError = wait.Until(page => ErrorFor(page, "customer.email") is { Length: > 0 } text ? text : null);
        Assert.Contains("email", emailError, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(ErrorFor(browser, "lines"));
        Assert.NotEmpty(ErrorFor(browser, "deliveryAddress"));
        Assert.Empty(ErrorFor(browser, "customer.name"));
        Assert.Equal("true", browser.FindElement(By.Id("email")).GetAttribute("aria-invalid"));
        Assert.Empty(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived));
    }

    [ChromiumFact]
    public async Task APersonFollowsTheirOrderToItsPriceAndTheSentEmailWithoutReloading()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var producer = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);
        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(producer.BaseAddress);
        var wait = new WebDriverWait(browser, TestTimeouts.PipelineStep);

        wait.Until(page => page.FindElements(By.CssSelector("input[data-item='pepperoni']")).Count == 1);
        SetQuantity(browser, "pepperoni", 2);
        SetQuantity(browser, "lemonade", 1);
        var estimate = Text(browser, "total");
        browser.FindElement(By.Id("name")).SendKeys("Katherine Johnson");
        browser.FindElement(By.Id("email")).SendKeys("katherine@example.com");
        browser.FindElement(By.Id("address")).SendKeys("1 Langley Rd, Hampton");
        browser.FindElement(By.Id("place-order")).Click();

        // The page asks by itself; the test only watches it.
        wait.Until(page => page.FindElement(By.Id("step-email")).Text == "Email sent");
        var confirmed = Assert.Single(TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed));
        Assert.Equal(confirmed.OrderId.ToString(), browser.FindElement(By.Id("tracked-id")).Text);
        Assert.Equal($"{confirmed.Total:F2} {confirmed.Currency}", browser.FindElement(By.Id("price-total")).Text);
        Assert.Equal($"{confirmed.Total:F2}", estimate);
        Assert.Equal($"{confirmed.DeliveryFee:F2}", browser.FindElement(By.Id("price-fee")).Text);
        Assert.Equal($"{confirmed.Tax:F2}", browser.FindElement(By.Id("price-tax")).Text);
        Assert.Equal(2, browser.FindElements(By.CssSelector("#price-lines tr")).Count);
        Assert.StartsWith("Confirmed", browser.FindElement(By.Id("step-priced")).Text, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(pipeline.MailDirectory, "*.eml"));
    }

    [ChromiumFact]
    public async Task AnOrderLookedUpByIdShowsWhyItWasRejectedInWords()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await using var producer = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);
        // Any client's order, e.g. the generator's: it is not this page's, and the page has only its id.
        var tooDear = InProcessPipeline.NewOrder() with { Lines = [.. Enumerable.Repeat(new OrderLine("quattro-formaggi", 20), 4)] };
        await pipeline.PublishAsync([tooDear]);
        var rejection = await WaitForAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersRejected, ContractsJsonContext.Default.OrderRejected).SingleOrDefault());
        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(producer.BaseAddress);
        var wait = new WebDriverWait(browser, TestTimeouts.PipelineStep);

        browser.FindElement(By.Id("track-id")).SendKeys(tooDear.OrderId.ToString());
        browser.FindElement(By.CssSelector("#track-form button")).Click();

        wait.Until(page => page.FindElement(By.Id("step-priced")).Text == "Rejected");
        Assert.Equal(rejection.Message, browser.FindElement(By.Id("rejection")).Text);
        Assert.Equal("No email: the order was rejected", browser.FindElement(By.Id("step-email")).Text);
    }

    [ChromiumFact]
    public async Task AnUnknownOrderIdSaysSo()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(producer.BaseAddress);
        var wait = new WebDriverWait(browser, Timeout);

        browser.FindElement(By.Id("track-id")).SendKeys(Guid.NewGuid().ToString());
        browser.FindElement(By.CssSelector("#track-form button")).Click();

        wait.Until(page => page.FindElement(By.Id("track-error")).Text == "No recent order with that id.");
        Assert.False(browser.FindElement(By.Id("tracking")).Displayed);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find) where T : class
    {
        T? found = null;
        await Eventually.WaitUntilAsync(() => (found = find()) is not null, TestTimeouts.PipelineStep, () => "nothing arrived");
        return found!;
    }

    [ChromiumFact]
    public async Task TheQuantityFieldKeepsToItsLimitsAndEveryBasketErrorIsInPlainWordsAtItsPlace()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);
        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(producer.BaseAddress);
        var wait = new WebDriverWait(browser, Timeout);

        wait.Until(page => page.FindElements(By.CssSelector("input[data-item='cola']")).Count == 1);
        SetQuantity(browser, "cola", 50);
        var limited = (browser.FindElement(By.CssSelector("input[data-item='cola']")).GetAttribute("value"), ItemError(browser, "cola"));
        SetQuantity(browser, "cola", 0);
        browser.FindElement(By.Id("name")).SendKeys("Ada Lovelace");
        browser.FindElement(By.Id("email")).SendKeys("ada@example.com");
        browser.FindElement(By.Id("address")).SendKeys("12 Analytical St");
        browser.FindElement(By.Id("place-order")).Click();
        var empty = wait.Until(page => ErrorFor(page, "lines") is { Length: > 0 } text ? text : null);

        Assert.Equal(("20", "Cola: choose 0 to 20."), limited);
        Assert.Equal("Choose at least one item from the menu.", empty);
        Assert.Equal("0.00", Text(browser, "total"));
        Assert.Empty(TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived));
    }

    private static ChromeDriver StartBrowser() => HeadlessChromium.Start(Timeout);

    private static string Text(ISearchContext page, string id) => page.FindElement(By.Id(id)).Text;

    private static string ItemError(ISearchContext page, string item) =>
        page.FindElement(By.CssSelector($"[data-error-for-item='{item}']")).Text;

    private static void SetQuantity(IWebDriver browser, string item, int quantity)
    {
        var input = browser.FindElement(By.CssSelector($"input[data-item='{item}']"));
        input.Clear();
        input.SendKeys(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string ErrorFor(ISearchContext page, string field) =>
        page.FindElement(By.CssSelector($"[data-error-for='{field}']")).Text;
}
