using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using FoodOrdering.Transactions.Indexing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Tests.Unit;

/// <summary>The indexer's bulk delivery against a scripted Elasticsearch transport and a fake producer, no server or broker.</summary>
public sealed class AnalyticsBulkDeliveryTests
{
    private static readonly OrderLineSold[] Lines =
        [.. Enumerable.Range(0, 3).Select(line => new OrderLineSold(Guid.NewGuid(), 1, DateTimeOffset.UtcNow, "fries", "French Fries", "Sides", 2, 6.40m))];

    [Fact]
    public async Task ADocumentTheClusterDidNotTakeFailsTheBatchAndItsReplaySendsOnlyThatDocument()
    {
        // Arrange
        var busy = 1;
        var elasticsearch = new ScriptedElasticsearch(id => id == Id(1) && busy-- > 0 ? (429, "es_rejected_execution_exception") : (201, null));
        var (producer, fake) = FakeProducer.Create();
        var delivery = Delivery(elasticsearch, producer);
        var batch = Records(Lines);

        // Act
        var first = await delivery.DeliverAsync(batch, CancellationToken.None);
        var replay = await delivery.DeliverAsync(batch, CancellationToken.None);

        // Assert
        Assert.Equal(BatchOutcome.Failed, first);
        Assert.Equal(BatchOutcome.Delivered, replay);
        Assert.Equal([Id(0), Id(1), Id(2), Id(1)], elasticsearch.Sent);
        Assert.Empty(fake.Produced);
    }

    [Fact]
    public async Task ARequestThatFailsAsAWholeCountsNothingAsIndexedAndItsReplaySendsEveryDocument()
    {
        var elasticsearch = new ScriptedElasticsearch(_ => (201, null)) { FailNextRequestWith = 503 };
        var (producer, fake) = FakeProducer.Create();
        var delivery = Delivery(elasticsearch, producer);
        var batch = Records(Lines);

        var first = await delivery.DeliverAsync(batch, CancellationToken.None);
        var replay = await delivery.DeliverAsync(batch, CancellationToken.None);

        Assert.Equal(BatchOutcome.Failed, first);
        Assert.Equal(BatchOutcome.Delivered, replay);
        Assert.Equal(2, elasticsearch.Sent.Count(id => id == Id(0)));
        Assert.Empty(fake.Produced);
    }

    [Fact]
    public async Task ADocumentAlreadyIndexedCountsAsIndexedAndNothingIsDeadLettered()
    {
        var elasticsearch = new ScriptedElasticsearch(id => id == Id(0) ? (409, "version_conflict_engine_exception") : (201, null));
        var (producer, fake) = FakeProducer.Create();

        var outcome = await Delivery(elasticsearch, producer).DeliverAsync(Records(Lines), CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Empty(fake.Produced);
    }

    [Fact]
    public async Task ADocumentElasticsearchCannotParseIsDeadLetteredAsRejectedAndTheBatchIsDelivered()
    {
        var elasticsearch = new ScriptedElasticsearch(id => id == Id(2) ? (400, "document_parsing_exception") : (201, null));
        var (producer, fake) = FakeProducer.Create();

        var outcome = await Delivery(elasticsearch, producer).DeliverAsync(Records(Lines), CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        var (topic, deadLetter) = Assert.Single(fake.Produced);
        Assert.Equal(Topics.DeadLetter(Topics.OrdersAnalytics), topic);
        Assert.Equal(DeadLetterReasons.Rejected, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal("2", Header(deadLetter, DeadLetterHeaders.SourceOffset));
    }

    [Fact]
    public async Task AnUnreadableRecordIsDeadLetteredUnsentAndTheOthersAreIndexed()
    {
        var elasticsearch = new ScriptedElasticsearch(_ => (201, null));
        var (producer, fake) = FakeProducer.Create();
        var batch = Records(Lines);
        batch[1].Message.Value = "{not json"u8.ToArray();

        var outcome = await Delivery(elasticsearch, producer).DeliverAsync(batch, CancellationToken.None);

        Assert.Equal(BatchOutcome.Delivered, outcome);
        Assert.Equal([Id(0), Id(2)], elasticsearch.Sent);
        var (_, deadLetter) = Assert.Single(fake.Produced);
        Assert.Equal(DeadLetterReasons.Unreadable, Header(deadLetter, DeadLetterHeaders.Reason));
    }

    private static AnalyticsBulkDelivery Delivery(ScriptedElasticsearch elasticsearch, IProducer<string, byte[]> producer)
    {
        var client = elasticsearch.Client();
        var status = new IndexerStatus();
        var metrics = new IndexerMetrics(new NoMeterFactory(), TimeProvider.System);
        var options = Options.Create(new IndexerOptions { ManageIndexTemplate = false });
        var template = new AnalyticsIndexTemplate(client, options, status, metrics, TimeProvider.System, NullLogger<AnalyticsIndexer>.Instance);
        return new AnalyticsBulkDelivery(producer, new DeadLetters(ConsumerGroups.Indexer, NullLogger<DeadLetters>.Instance), client, template, status, metrics, IndexerFailurePolicy.For(options.Value), NullLogger<AnalyticsIndexer>.Instance);
    }

    private static string Id(int line) => AnalyticsDocument.From(Lines[line]).Id;

    private static List<ConsumeResult<string, byte[]>> Records(IEnumerable<OrderLineSold> lines) =>
        [.. lines.Select((line, offset) => new ConsumeResult<string, byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.OrdersAnalytics, 0, offset),
            Message = new Message<string, byte[]>
            {
                Key = line.OrderId.ToString(),
                Value = JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.OrderLineSold),
                Headers = [],
            },
        })];

    private static string? Header(Message<string, byte[]> message, string name) =>
        message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
