using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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

    [ChromiumFact]
    public async Task AnOperatorPausesTheEmailsGroupSeesItPausedThereAndInItsHealthThenResumesAndEveryOrderIsEmailedOnce()
    {
        const int orders = 20;
        const string pausedEntry = $"kafka-consumer-{ConsumerGroups.Emails}-paused";
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        var emails = await pipeline.StartEmailsAsync();
        await using var console = await OperationsApp.StartAsync(pipeline.Kafka.BootstrapServers);
        var health = emails.Services.GetRequiredService<HealthCheckService>();
        using var browser = HeadlessChromium.Start(Timeout);
        var wait = new WebDriverWait(browser, Timeout);
        // The page redraws every few seconds, so an element found a moment ago may have been replaced.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        var group = $"section[data-group='{ConsumerGroups.Emails}']";
        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, "/#consumer-groups"));

        Press(wait, group, "Pause");
        var badge = wait.Until(page => page.FindElement(By.CssSelector($"{group} .paused")).Text is var text && text.StartsWith("Paused at ", StringComparison.Ordinal) ? text : null);
        HealthReportEntry paused = default;
        await Eventually.WaitUntilAsync(() => (paused = health.CheckHealthAsync().Result.Entries[pausedEntry]).Status == HealthStatus.Degraded, Timeout, () => $"{pausedEntry}: {paused.Status}");
        var placed = Enumerable.Range(0, orders).Select(_ => InProcessPipeline.NewOrder()).ToList();
        await pipeline.PublishAsync(placed);
        await Eventually.WaitUntilAsync(() => TopicReader.ReadAll(pipeline.Kafka.BootstrapServers, Topics.OrdersConfirmed).Count >= orders, Timeout, () => "pricing stalled");
        // How long the paused group is watched with orders waiting for it: the pause itself, not a wait for something.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var emailedWhilePaused = pipeline.Smtp.MessagesReceived;
        Press(wait, group, "Resume");
        wait.Until(page => page.FindElement(By.CssSelector($"{group} .paused")).Text == "Consuming");
        await Eventually.WaitUntilAsync(() => pipeline.Smtp.MessagesReceived >= orders, Timeout, () => $"{pipeline.Smtp.MessagesReceived} of {orders} emailed after the resume");
        await Eventually.WaitUntilAsync(() => health.CheckHealthAsync().Result.Entries[pausedEntry].Status == HealthStatus.Healthy, Timeout, () => "emails still reads paused");

        Assert.Contains(" by anonymous", badge);
        Assert.StartsWith($"{ConsumerGroups.Emails} paused by an operator at ", paused.Description);
        Assert.Equal(0, emailedWhilePaused);
        var messageIds = Directory.GetFiles(pipeline.MailDirectory, "*.eml").Select(path => MimeKit.MimeMessage.Load(path).MessageId).ToList();
        Assert.Equal(orders, messageIds.Count);
        Assert.Equal(placed.Select(order => $"order-{order.OrderId:N}").Order(), messageIds.Select(id => id!.Split('@')[0]).Order());
    }

    private static void Press(WebDriverWait wait, string group, string button) =>
        wait.Until(page => page.FindElements(By.CssSelector($"{group} button")).FirstOrDefault(b => b.Text == button) is { } found && Click(found));

    private static bool Click(IWebElement button)
    {
        button.Click();
        return true;
    }

    [ChromiumFact]
    public async Task AnOrderOlderThanTheOrderIndexHoldsIsShownAsNotSearchedRatherThanAsNeverWritten()
    {
        const int capacity = 1_000;
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        var orders = Enumerable.Range(0, capacity + 100).Select(_ => Guid.NewGuid().ToString()).ToList();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var order in orders)
            {
                producer.Produce(Topics.OrdersReceived, new Message<string, string> { Key = order, Value = "{}" });
            }

            producer.Flush(Timeout);
        }

        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operations:OrderIndexCapacity"] = $"{capacity}" });
        using var browser = HeadlessChromium.Start(Timeout);
        var wait = new WebDriverWait(browser, Timeout);

        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, $"/#order/{orders[^1]}"));
        wait.Until(page => page.FindElements(By.CssSelector("tr[data-step='received']")).Count == 1);
        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, $"/#order/{orders[0]}"));
        var searchedFrom = wait.Until(page => page.FindElements(By.CssSelector(".searched-from")).FirstOrDefault()?.Text);
        var hints = browser.FindElements(By.CssSelector("main .hint")).Select(hint => hint.Text).ToList();

        Assert.Contains($"{Topics.OrdersReceived} [0] @100", searchedFrom);
        Assert.Contains("No record of this order among the records searched.", hints);
        Assert.DoesNotContain("No record of this order on any topic.", hints);
    }

    [ChromiumFact]
    public async Task AnOperatorSignsInSeesThatTheyAreSignedInAndSignsOutWhichForgetsTheKey()
    {
        const string key = "console-operator-key-0123456789";
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operator:ApiKey"] = key }, environment: "Production");
        using var browser = HeadlessChromium.Start(Timeout);
        var wait = new WebDriverWait(browser, Timeout);
        browser.Navigate().GoToUrl(new Uri(console.BaseAddress, "/#topics"));
        wait.Until(page => page.FindElement(By.Id("operator-key")).Displayed);

        SignIn(browser, key + "x");
        var refused = wait.Until(page => page.FindElement(By.Id("operator-key-refused")) is { Displayed: true } note ? note.Text : null);
        SignIn(browser, key);
        wait.Until(page => page.FindElements(By.CssSelector($"tr[data-topic='{Topics.OrdersReceived}']")).Count == 1);
        var signedIn = (Session: browser.FindElement(By.Id("operator-session")).Displayed, Form: browser.FindElement(By.Id("operator-key")).Displayed);
        browser.Navigate().Refresh();
        wait.Until(page => page.FindElements(By.CssSelector($"tr[data-topic='{Topics.OrdersReceived}']")).Count == 1);
        var afterReload = browser.FindElement(By.Id("operator-session")).Displayed;
        browser.FindElement(By.CssSelector("#operator-session button")).Click();
        wait.Until(page => page.FindElement(By.Id("operator-key")).Displayed);
        var keptKey = browser.ExecuteScript("return sessionStorage.getItem('foodordering-operator-key');");
        wait.Until(page => page.FindElements(By.CssSelector("tr[data-topic]")).Count == 0 && page.FindElement(By.Id("error")).Text.Length > 0);

        Assert.Equal("That key was refused.", refused);
        Assert.Equal((true, false), signedIn);
        Assert.True(afterReload, "a reload in the same browser session forgot that the operator signed in");
        Assert.Null(keptKey);
        Assert.False(browser.FindElement(By.Id("operator-session")).Displayed);
        Assert.False(browser.FindElement(By.Id("operator-key-refused")).Displayed);
    }

    private static void SignIn(IWebDriver browser, string key)
    {
        var input = browser.FindElement(By.Id("operator-key-value"));
        input.Clear();
        input.SendKeys(key);
        browser.FindElement(By.CssSelector("#operator-key button")).Click();
    }
}
