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
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

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
        Assert.Equal("29.10", browser.FindElement(By.Id("total")).Text);
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

    private static ChromeDriver StartBrowser()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.ChromeDriver)!, Path.GetFileName(ChromiumFactAttribute.ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), "foodordering-chromium", Guid.NewGuid().ToString("N"))}");
        return new ChromeDriver(service, options, Timeout);
    }

    private static void SetQuantity(IWebDriver browser, string item, int quantity)
    {
        var input = browser.FindElement(By.CssSelector($"input[data-item='{item}']"));
        input.Clear();
        input.SendKeys(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string ErrorFor(ISearchContext page, string field) =>
        page.FindElement(By.CssSelector($"[data-error-for='{field}']")).Text;
}
