using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Operations.Catalog;
using FoodOrdering.Operations.Log;
using FoodOrdering.Operations.Orders;
using FoodOrdering.Operations.Records;
using FoodOrdering.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Tests.Integration.Operations;

/// <summary>
/// A large topic on the embedded broker: what the console reads to answer a page, and what it holds to count, stay
/// bounded by the page and by a few structures per partition, not by the records; the order index holds only the
/// newest records and says from where it searched.
/// </summary>
public sealed class ConsoleLargeTopicTests
{
    private const string Topic = "console.large-topic";
    private const int Records = 100_000;
    private const int Partitions = 3;
    private const int PageSize = 50;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task BrowsingNewestOldestAndFromATimeReadsAboutAPagePerPartitionAndCountingHoldsRunsNotRecords()
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, Partitions, [.. Topics.All, Topic]);
        // Kafka keeps timestamps in milliseconds; record n is 10 ms after record n - 1.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
        Produce(kafka.BootstrapServers, start, Records);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers);
        await Eventually.WaitUntilAsync(
            () => console.GetAsync<List<TopicSummary>>("/api/topics").Result.Any(t => t.Name == Topic && t.Settled && t.Records == Records),
            Timeout, () => $"the console never read the {Records} records of {Topic}");
        var tail = console.Services.GetRequiredService<TopicTail>().Topics[Topic];
        var middle = Records / 2;

        var newest = await PageAsync(console, "from=newest");
        var older = await PageAsync(console, $"from=newest&cursor={newest.Next}");
        var oldest = await PageAsync(console, "from=oldest");
        var fromTime = await PageAsync(console, $"from={Uri.EscapeDataString(start.AddMilliseconds(10.0 * middle).ToString("O"))}");
        var topic = (await console.GetAsync<List<TopicSummary>>("/api/topics")).Single(t => t.Name == Topic);

        Assert.Equal(Enumerable.Range(Records - PageSize, PageSize).Reverse(), newest.Records.Select(Number));
        Assert.Equal(Enumerable.Range(Records - 2 * PageSize, PageSize).Reverse(), older.Records.Select(Number));
        Assert.Equal(Enumerable.Range(0, PageSize), oldest.Records.Select(Number));
        Assert.Equal(Enumerable.Range(middle, PageSize), fromTime.Records.Select(Number));
        // A page merges the partitions by time, so it reads up to a page from each.
        Assert.All([newest, older, oldest], page => Assert.InRange(page.Scanned, PageSize, Partitions * PageSize));
        // Finding a time reads from the tail's nearest sample of times before it, at most one sample's span per partition.
        var perSample = tail.Partitions.Values.Max(partition => partition.RecordsPerTimeSample);
        Assert.InRange(fromTime.Scanned, PageSize, Partitions * (PageSize + perSample));
        Assert.True(perSample <= 2 * Records / Partitions / PartitionRecords.MaxTimeSamples, $"{perSample} records per sample of times");
        Assert.Equal(Records, topic.Records);
        // Counting holds runs of offsets, not offsets: the records are one run per partition.
        Assert.All(tail.Partitions.Values, partition => Assert.Equal(1, partition.Runs));
        Assert.All(tail.Partitions.Values, partition => Assert.InRange(partition.TimeSamples, 1, PartitionRecords.MaxTimeSamples));
    }

    [Fact]
    public async Task AnOrderOlderThanTheOrderIndexHoldsIsNotFoundAndItsTrailSaysFromWhereItSearched()
    {
        const int records = 3_000;
        const int capacity = 1_000;
        using var kafka = EmbeddedKafkaCluster.Start(1, Partitions, [.. Topics.All, Topic]);
        Produce(kafka.BootstrapServers, DateTimeOffset.UtcNow.AddHours(-1), records);
        await using var console = await OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operations:OrderIndexCapacity"] = $"{capacity}" });
        await Eventually.WaitUntilAsync(
            () => console.GetAsync<List<TopicSummary>>("/api/topics").Result.Any(t => t.Name == Topic && t.Settled && t.Records == records),
            Timeout, () => $"the console never read the {records} records of {Topic}");

        var searchedFrom = (await console.GetAsync<OrderTrailView>($"/api/orders/{OrderId(0)}/trail")).SearchedFrom;

        // The tail reads the partitions in whatever order the broker serves them: which records are held depends on it,
        // how many does not. Record n is at offset n / 3 of partition n % 3.
        var from = Enumerable.Range(0, Partitions).ToDictionary(p => p, p => searchedFrom.SingleOrDefault(at => at.Partition == p).Offset);
        Assert.All(searchedFrom, at => Assert.Equal(Topic, at.Topic));
        Assert.Equal(capacity, from.Sum(partition => records / Partitions - partition.Value));
        foreach (var (partition, offset) in from.Where(partition => partition.Value > 0))
        {
            var forgotten = await console.GetAsync<OrderTrailView>($"/api/orders/{OrderId((int)(offset - 1) * Partitions + partition)}/trail");
            Assert.Empty(forgotten.Steps);
            Assert.Equal(searchedFrom, forgotten.SearchedFrom);
        }

        foreach (var (partition, offset) in from.Where(partition => partition.Value < records / Partitions))
        {
            var held = OrderId((int)offset * Partitions + partition);
            Assert.Equal(held, Assert.Single((await console.GetAsync<OrderTrailView>($"/api/orders/{held}/trail")).Steps).Record.Key!.Text);
        }
    }

    [Theory]
    [InlineData("999")]
    [InlineData("20000001")]
    public async Task AnOrderIndexCapacityOutOfRangeStopsTheConsoleAtStart(string capacity)
    {
        using var kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => OperationsApp.StartAsync(kafka.BootstrapServers, new() { ["Operations:OrderIndexCapacity"] = capacity }));

        Assert.Contains(nameof(FoodOrdering.Operations.OperationsOptions.OrderIndexCapacity), error.Message);
    }

    // In batches, as a busy producer writes: well under the mock broker's 5 MiB and 100,000 records per batch.
    private static void Produce(string bootstrapServers, DateTimeOffset start, int records)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            LingerMs = 20,
            BatchNumMessages = 10_000,
            BatchSize = 1024 * 1024,
            QueueBufferingMaxMessages = 2 * records,
        }).Build();
        for (var n = 0; n < records; n++)
        {
            producer.Produce(new TopicPartition(Topic, n % Partitions), new Message<string, byte[]>
            {
                Key = OrderId(n),
                Value = Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"),
                Timestamp = new Timestamp(start.AddMilliseconds(10.0 * n).UtcDateTime),
            });
        }

        producer.Flush(Timeout);
    }

    private static string OrderId(int n) => new Guid(n, 0, 0, new byte[8]).ToString();

    private static Task<RecordPage> PageAsync(OperationsApp console, string query) =>
        console.GetAsync<RecordPage>($"/api/topics/{Topic}/records?{query}&limit={PageSize}");

    private static int Number(RecordView record) => JsonDocument.Parse(record.Value!.Text).RootElement.GetProperty("n").GetInt32();
}
