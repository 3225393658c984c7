using System.Net.Http.Json;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FoodOrdering.Tests.Integration;

public sealed class GeneratorTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task GeneratesOneOrderPerPeriodOfTheConfiguredRateStampedWithItsTime()
    {
        // 20 orders/s is a 50 ms period; the test moves a fake clock period by period, so the rate is exact and
        // no busy machine can make it miss.
        const int ticks = 40;
        var period = TimeSpan.FromMilliseconds(50);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderGenerator:Enabled"] = "true",
            ["OrderGenerator:OrdersPerSecond"] = "20",
        }, time);

        // The worker creates its timer on its own thread shortly after start; a period that passes before that is
        // unseen, so the first one is repeated until it produces the first order.
        var attempts = 0;
        do
        {
            Assert.True(++attempts <= 5, "the generator did not start");
            time.Advance(period);
        }
        while (await TryWaitForGeneratedAsync(producer, 1, TimeSpan.FromSeconds(5)) is null);

        for (var tick = 2; tick <= ticks; tick++)
        {
            time.Advance(period);
            await WaitForGeneratedAsync(producer, tick);
        }

        var placed = TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived, ContractsJsonContext.Default.OrderPlaced)
            .Select(order => order.PlacedAt)
            .Order()
            .ToList();
        Assert.Equal(ticks, (await producer.GeneratorStatusAsync()).Generated);
        Assert.Equal(ticks, placed.Count);
        Assert.All(placed.Zip(placed.Skip(1)), pair => Assert.Equal(period, pair.Second - pair.First));
    }

    [Fact]
    public async Task KeepsAFastRateWhenTicksComeLateAndEachOrderWaitsForItsAcknowledgement()
    {
        // 1,000 orders/s, and the clock moves 100 ms at a time: ten times too late for one order per 1 ms tick.
        const int steps = 5;
        var step = TimeSpan.FromMilliseconds(100);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderGenerator:Enabled"] = "true",
            ["OrderGenerator:OrdersPerSecond"] = "1000",
        }, time);

        var attempts = 0;
        do
        {
            Assert.True(++attempts <= 5, "the generator did not start");
            time.Advance(step);
        }
        while (await TryWaitForGeneratedAsync(producer, 100, TimeSpan.FromSeconds(5)) is null);

        for (var i = 2; i <= steps; i++)
        {
            time.Advance(step);
            await WaitForGeneratedAsync(producer, i * 100);
        }

        Assert.Equal(steps * 100, (await producer.GeneratorStatusAsync()).Generated);
        Assert.Equal(steps * 100, TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Count);
    }

    [Fact]
    public async Task StopsAtExactlyTheLimit()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderGenerator:Enabled"] = "true",
            ["OrderGenerator:OrdersPerSecond"] = "200",
            ["OrderGenerator:Limit"] = "25",
        });

        await WaitForGeneratedAsync(producer, 25);
        // Reading the topic takes many 5 ms ticks, so a generator that overshoots would be caught here.
        var published = TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Count;

        Assert.Equal(25, published);
        Assert.Equal(25, (await producer.GeneratorStatusAsync()).Generated);
    }

    [Fact]
    public async Task StartsStopsAndBurstsOverHttp()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 3, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers, new()
        {
            ["OrderGenerator:OrdersPerSecond"] = "50",
        });
        Assert.False((await producer.GeneratorStatusAsync()).Running);

        using var burst = await producer.Client.PostAsync("/generator/burst?count=30", null);
        var result = await burst.Content.ReadFromJsonAsync<BurstResult>();
        Assert.Equal(new BurstResult(30, 30, 0), result);
        Assert.Equal(30, TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Count);

        using var start = await producer.Client.PostAsync("/generator/start", null);
        Assert.True((await start.Content.ReadFromJsonAsync<GeneratorStatus>())!.Running);
        await WaitForGeneratedAsync(producer, 10);

        using var stop = await producer.Client.PostAsync("/generator/stop", null);
        Assert.False((await stop.Content.ReadFromJsonAsync<GeneratorStatus>())!.Running);
        var stoppedAt = await WaitForGeneratedAsync(producer, 10);
        await Eventually.WaitUntilAsync(
            () => TopicReader.ReadAll(kafka.BootstrapServers, Topics.OrdersReceived).Count >= 30 + stoppedAt, Timeout,
            () => "the generated orders did not all reach the topic");
        // At most the one tick that was in flight when stop arrived.
        Assert.InRange((await producer.GeneratorStatusAsync()).Generated, stoppedAt, stoppedAt + 1);

        using var tooBig = await producer.Client.PostAsync($"/generator/burst?count={GeneratorApi.MaxBurst + 1}", null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooBig.StatusCode);
    }

    /// <summary>Waits until the generator counts at least <paramref name="atLeast"/> orders; returns its count then, or null.</summary>
    private static async Task<int?> TryWaitForGeneratedAsync(ProducerApp producer, int atLeast, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        int generated;
        while ((generated = (await producer.GeneratorStatusAsync()).Generated) < atLeast)
        {
            if (deadline.IsCancellationRequested)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        return generated;
    }

    private static async Task<int> WaitForGeneratedAsync(ProducerApp producer, int atLeast) =>
        await TryWaitForGeneratedAsync(producer, atLeast, Timeout)
        ?? throw new Xunit.Sdk.XunitException($"only {(await producer.GeneratorStatusAsync()).Generated} of {atLeast} orders were generated in {Timeout}");
}
