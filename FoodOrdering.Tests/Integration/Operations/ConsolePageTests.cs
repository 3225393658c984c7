using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>The console's pages in headless Chromium, against the in-process pipeline on the embedded broker.</summary>
public sealed class ConsolePageTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.Recovery;

    [ChromiumFact]
    public async Task AnOperatorRedrivesAFailureGroupSeesTheLagDrainFindsAnOrderAndBrowsesItsTopic()
    {
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        var failed = ConsoleDeadLettersTests.Orders(10);
        await ConsoleDeadLettersTests.WriteDeadLettersAsync(pipeline.Kafka, failed, _ => "Menu lookup failed");
        await pipeline.StartTransactionsAsync();
        await pipeline.StartEmailsAsync();
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        await ConsoleDeadLettersTests.WaitForGroupAsync(console, failed.Count);
        using var browser = HeadlessChromium.Start(Timeout);
        var wait = new WebDriverWait(browser, Timeout);

        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, "/#dead-letters"));
        wait.Until(page => page.FindElements(By.CssSelector("tr[data-group] button")).FirstOrDefault(b => b.Text == "Re-drive")).Click();
        var status = wait.Until(page => page.FindElement(By.Id("action-status")).Text is { Length: > 0 } text ? text : null);
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= failed.Count, Timeout, () => $"{pipeline.Smtp.MessagesReceived} of {failed.Count} emails");

        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, "/#consumer-groups"));
        wait.Until(page => page.FindElements(By.CssSelector($"section[data-group='{ConsumerGroups.Emails}'] .lag")).FirstOrDefault()?.Text == "0");

        var order = failed[0].OrderId.ToString();
        browser.FindElement(By.Id("find-order-id")).SendKeys(order);
        browser.FindElement(By.CssSelector("#find-order button")).Click();
        wait.Until(page => page.FindElements(By.CssSelector("tr[data-step='emailed']")).Count == 1);
        var steps = browser.FindElements(By.CssSelector("tr[data-step]")).Select(row => row.GetAttribute("data-step")).ToList();

        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, $"/#topics/{Topics.OrdersConfirmed}"));
        var rows = wait.Until(page => page.FindElements(By.CssSelector("#records tr[data-offset]")) is { Count: >= 10 } found ? found : null);

        Assert.Equal("redrive: 10 redriven", status);
        Assert.Equal(["dead-lettered", "received", "confirmed"], steps.Where(s => s is "dead-lettered" or "received" or "confirmed"));
        Assert.Equal(failed.Count, rows.Count);
        Assert.DoesNotContain("ada@example.com", browser.FindElement(By.Id("records")).Text);
        ConsoleDeadLettersTests.AssertOncePerOrder(pipeline, failed);
    }
}
