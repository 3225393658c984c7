using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Tests.Support;
using FoodOrdering.Transactions.Indexing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Tests.Integration;

/// <summary>The analytics indexer against the embedded broker and a stand-in of Elasticsearch's <c>_bulk</c> API.</summary>
public sealed class AnalyticsIndexerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    private EmbeddedKafkaCluster _kafka = null!;
    private ElasticsearchBulkStandIn _elasticsearch = null!;
    private IProducer<string, byte[]> _producer = null!;

    public async Task InitializeAsync()
    {
        _kafka = EmbeddedKafkaCluster.Start(brokers: 1, partitions: 3, Topics.All);
        _elasticsearch = await ElasticsearchBulkStandIn.StartAsync();
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
    }

    public async Task DisposeAsync()
    {
        _producer.Dispose();
        await _elasticsearch.DisposeAsync();
        _kafka.Dispose();
    }

    [Fact]
    public async Task IndexesEveryLineOnceUnderItsDeterministicIdAfterPuttingTheTemplate()
    {
        var lines = await PublishOrdersAsync(orders: 40, linesPerOrder: 3);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString, batchSize: 25);

        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Equal(0, _elasticsearch.Overwrites);
        Assert.True(_elasticsearch.BulkRequests >= lines.Count / 25, $"{_elasticsearch.BulkRequests} bulk requests for {lines.Count} documents");
        Assert.Contains("\"dynamic\": \"strict\"", _elasticsearch.Templates[AnalyticsIndexTemplate.TemplateName]);
        Assert.Equal($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:stand-in-password"))}", _elasticsearch.LastAuthorization);
        var first = lines[0];
        var document = _elasticsearch.Documents[Id(first)];
        Assert.Equal(first.Revenue, document["revenue"]!.GetValue<decimal>());
        Assert.Equal(first.Category, document["category"]!.GetValue<string>());
        Assert.Equal(first.PlacedAt, document["placedAt"]!.GetValue<DateTimeOffset>());
        // The template is strict: the documents carry exactly its fields.
        var mapped = System.Text.Json.Nodes.JsonNode.Parse(AnalyticsIndexTemplate.Json)!["template"]!["mappings"]!["properties"]!.AsObject();
        Assert.Equal(mapped.Select(field => field.Key).Order(), document.Select(field => field.Key).Order());
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));
        Assert.Equal(HealthStatus.Healthy, (await AnalyticsIndexerHost.HealthAsync(indexer)).Status);
    }

    [Fact]
    public async Task ARedrivenOrderLineIsTheDocumentAlreadyIndexedNotASecondOne()
    {
        var lines = await PublishOrdersAsync(orders: 5, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);
        await WaitForCommittedAsync(lines.Count);

        // As a re-drive writes them: the same records again, after they were indexed.
        await Task.WhenAll(lines.Select(line =>
            _producer.PublishAsync(Topics.OrdersAnalytics, line.OrderId.ToString(), line, ContractsJsonContext.Default.OrderLineSold)));
        await WaitForCommittedAsync(2 * lines.Count);

        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Equal(lines.Count, _elasticsearch.Conflicts);
        Assert.Equal(0, _elasticsearch.Overwrites);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));
    }

    [Fact]
    public async Task RidesOutA429StormWithoutLosingOrDuplicatingADocument()
    {
        _elasticsearch.FailNextRequests(6, 429);
        var lines = await PublishOrdersAsync(orders: 20, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);

        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Equal(6, _elasticsearch.FailedBulkRequests);
        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));
    }

    [Fact]
    public async Task ADocumentRefusedEveryTimeInAWayNeverSeenIsDeadLetteredWithTheAnswerAndTheOther63AreIndexed()
    {
        // Arrange: one document of 64 gets an answer the indexer does not know as a document fault, every time.
        var lines = await PublishOrdersAsync(orders: 32, linesPerOrder: 2);
        var cursed = Id(lines[40]);
        _elasticsearch.ItemFailure = (id, _) => id == cursed ? new StandInError(400, "brand_new_exception", $"something no one has seen about [{id}]") : null;

        // Act
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString, batchSize: lines.Count);
        await WaitForDocumentsAsync(lines.Count - 1);
        await WaitForCommittedAsync(lines.Count);

        // Assert
        Assert.Equal(lines.Select(Id).Where(id => id != cursed).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Equal(0, _elasticsearch.Overwrites);
        var deadLetter = Assert.Single(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));
        Assert.Equal(lines[40].OrderId.ToString(), deadLetter.Message.Key);
        Assert.Equal(DeadLetterReasons.FailsAlone, Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal("brand_new_exception", Header(deadLetter, DeadLetterHeaders.ErrorType));
        Assert.Contains("something no one has seen", Header(deadLetter, DeadLetterHeaders.Error));
        await WaitForHealthAsync(indexer, HealthStatus.Healthy, "indexing");
    }

    [Fact]
    public async Task DeadLettersOnlyDocumentFaultsAndRetriesEveryOtherRefusalUntilTheDocumentIsTaken()
    {
        var lines = await PublishOrdersAsync(orders: 10, linesPerOrder: 3);
        var unparsable = Id(lines[5]);
        var unmapped = Id(lines[7]);
        // Item-level: the cluster pushes back, blocks the index, refuses the user or misses the index for a while;
        // two documents are refused for what they are.
        _elasticsearch.ItemFailure = (id, attempt) =>
            id == unparsable ? StandInError.DocumentParsing(id)
            : id == unmapped ? StandInError.StrictDynamicMapping(id)
            : (Index(id) % 6, attempt) switch
            {
                (0, 1) => StandInError.TooManyRequests(),
                (0, 2) => StandInError.Unavailable(),
                (1, 1) => StandInError.ReadOnlyIndex(AnalyticsIndexTemplate.IndexName),
                (2, 1) => StandInError.IndexActionDenied(ElasticsearchBulkStandIn.User, "indices:data/write/index:op_type/create", AnalyticsIndexTemplate.IndexName, ["create_doc"]),
                (3, 1) => StandInError.IndexNotFound(AnalyticsIndexTemplate.IndexName),
                (4, 1) => StandInError.Unauthenticated(ElasticsearchBulkStandIn.User),
                _ => null,
            };
        await _producer.ProduceAsync(Topics.OrdersAnalytics, new Message<string, byte[]>
        {
            Key = "not-an-order",
            Value = Encoding.UTF8.GetBytes("{\"orderId\": 42, \"lineNumber\": "),
        });
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);

        await WaitForDocumentsAsync(lines.Count - 2);
        await WaitForCommittedAsync(lines.Count + 1);

        Assert.Equal(lines.Select(Id).Where(id => id != unparsable && id != unmapped).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Equal(0, _elasticsearch.Overwrites + _elasticsearch.Conflicts); // acknowledged items were never sent again
        var deadLetters = TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics));
        Assert.Equal(3, deadLetters.Count);
        var rejected = Assert.Single(deadLetters, record => Header(record, DeadLetterHeaders.ErrorType) == "document_parsing_exception");
        Assert.Equal(lines[5].OrderId.ToString(), rejected.Message.Key);
        Assert.Equal(DeadLetterReasons.Rejected, Header(rejected, DeadLetterHeaders.Reason));
        Assert.Contains($"refused document {unparsable}", Header(rejected, DeadLetterHeaders.Error));
        Assert.Contains("failed to parse field [revenue]", Header(rejected, DeadLetterHeaders.Error));
        Assert.Equal(Topics.OrdersAnalytics, Header(rejected, DeadLetterHeaders.SourceTopic));
        Assert.Equal(ConsumerGroups.Indexer, Header(rejected, DeadLetterHeaders.ConsumerGroup));
        Assert.Single(deadLetters, record => Header(record, DeadLetterHeaders.ErrorType) == "strict_dynamic_mapping_exception");
        var unreadable = Assert.Single(deadLetters, record => record.Message.Key == "not-an-order");
        Assert.Equal("System.Text.Json.JsonException", Header(unreadable, DeadLetterHeaders.ErrorType));
        Assert.NotNull(Header(unreadable, DeadLetterHeaders.SourceOffset));
        await WaitForHealthAsync(indexer, HealthStatus.Healthy, "indexing");

        int Index(string id) => lines.FindIndex(line => Id(line) == id);
    }

    [Fact]
    public async Task DocumentsRefusedForWantOfAPrivilegeWaitUndeadletteredAndAreIndexedOnceWhenItIsGranted()
    {
        _elasticsearch.IndexPrivileges = new HashSet<string> { "read" };
        var lines = await PublishOrdersAsync(orders: 10, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);

        var refused = await WaitForHealthAsync(indexer, HealthStatus.Degraded, "create_doc");
        Assert.Contains(ElasticsearchBulkStandIn.User, refused.Description);
        Assert.Contains(AnalyticsIndexerHost.Logs(indexer), log => log.StartsWith("Warning", StringComparison.Ordinal) && log.Contains("create_doc", StringComparison.Ordinal));
        Assert.Empty(_elasticsearch.Documents);
        Assert.Equal(0, AnalyticsIndexerHost.CommittedOffsets(_kafka.BootstrapServers));

        _elasticsearch.IndexPrivileges = new HashSet<string> { "create_doc", "auto_configure" };
        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Equal(0, _elasticsearch.Overwrites + _elasticsearch.Conflicts);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));
        await WaitForHealthAsync(indexer, HealthStatus.Healthy, "indexing");
    }

    [Fact]
    public async Task ThePrivilegesTheDocsNameAreEnoughToPutTheTemplateAndIndex()
    {
        _elasticsearch.IndexPrivileges = new HashSet<string> { "create_doc", "auto_configure" };
        _elasticsearch.ClusterPrivileges = new HashSet<string> { "manage_index_templates" };
        var lines = await PublishOrdersAsync(orders: 10, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);

        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Contains(AnalyticsIndexTemplate.TemplateName, _elasticsearch.Templates.Keys);
        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));
        Assert.Equal(HealthStatus.Healthy, (await AnalyticsIndexerHost.HealthAsync(indexer)).Status);
    }

    [Fact]
    public async Task ATemplateRefusedForWantOfAPrivilegeDoesNotHoldUpIndexingAndIsPutOnceItIsGranted()
    {
        _elasticsearch.ClusterPrivileges = new HashSet<string>();
        var lines = await PublishOrdersAsync(orders: 10, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);

        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);
        var degraded = await AnalyticsIndexerHost.HealthAsync(indexer);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("manage_index_templates", degraded.Description);
        Assert.Contains(AnalyticsIndexerHost.Logs(indexer), log => log.StartsWith("Warning", StringComparison.Ordinal) && log.Contains("manage_index_templates", StringComparison.Ordinal));
        Assert.Empty(_elasticsearch.Templates);
        Assert.Empty(TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics)));

        _elasticsearch.ClusterPrivileges = new HashSet<string> { "manage_index_templates" };
        await WaitForHealthAsync(indexer, HealthStatus.Healthy, "indexing");

        Assert.Contains(AnalyticsIndexTemplate.TemplateName, _elasticsearch.Templates.Keys);
    }

    [Fact]
    public async Task LeavesTheTemplateAloneWhenToldNotToManageIt()
    {
        _elasticsearch.ClusterPrivileges = new HashSet<string>();
        var lines = await PublishOrdersAsync(orders: 5, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString,
            settings: new Dictionary<string, string?> { ["Indexer:ManageIndexTemplate"] = "false" });

        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.DoesNotContain(_elasticsearch.Requests, request => request.Contains("_index_template", StringComparison.Ordinal));
        Assert.Equal(HealthStatus.Healthy, (await AnalyticsIndexerHost.HealthAsync(indexer)).Status);
    }

    [Fact]
    public async Task KeepsTheEndpointsPathPrefixForTheTemplateAndTheBulkRequests()
    {
        await _elasticsearch.DisposeAsync();
        _elasticsearch = await ElasticsearchBulkStandIn.StartAsync(pathBase: "/es");
        var lines = await PublishOrdersAsync(orders: 5, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);

        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Contains($"PUT /es/_index_template/{AnalyticsIndexTemplate.TemplateName}", _elasticsearch.Requests);
        Assert.Contains($"POST /es/{AnalyticsIndexTemplate.IndexName}/_bulk", _elasticsearch.Requests);
        Assert.All(_elasticsearch.Requests, request => Assert.Contains(" /es/", request));
        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
    }

    [Fact]
    public async Task ADeadLetterThatFailsMidBulkDoesNotSendTheAcknowledgedDocumentsAgain()
    {
        var lines = await PublishOrdersAsync(orders: 10, linesPerOrder: 2);
        var refused = lines.Where((_, i) => i % 5 == 1).Select(Id).ToHashSet();
        _elasticsearch.ItemFailure = (id, _) => refused.Contains(id) ? StandInError.DocumentParsing(id) : null;
        // The indexer's first dead letter is refused by the broker; nothing else produces from here on.
        _kafka.InjectRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString, batchSize: lines.Count);

        await WaitForDocumentsAsync(lines.Count - refused.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Contains(refused, id => _elasticsearch.Sends(id) > 1); // the bulk was replayed after the failed dead letter
        Assert.All(lines.Select(Id).Where(id => !refused.Contains(id)), id => Assert.Equal(1, _elasticsearch.Sends(id)));
        Assert.Equal(0, _elasticsearch.Overwrites + _elasticsearch.Conflicts);
        var deadLetters = TopicReader.ReadAll(_kafka.BootstrapServers, Topics.DeadLetter(Topics.OrdersAnalytics));
        Assert.Equal(refused.Count, deadLetters.Count);
        Assert.All(refused, id => Assert.Single(deadLetters, record => Header(record, DeadLetterHeaders.Error)!.Contains($"refused document {id} (", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CommitsNothingDuringAnOutageAndARestartIndexesFromTheCommittedPosition()
    {
        var before = await PublishOrdersAsync(orders: 5, linesPerOrder: 2);
        var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);
        await WaitForDocumentsAsync(before.Count);
        await WaitForCommittedAsync(before.Count);

        _elasticsearch.Outage = true;
        var during = await PublishOrdersAsync(orders: 5, linesPerOrder: 2);
        await Eventually.WaitUntilAsync(() => _elasticsearch.FailedBulkRequests >= 5, Timeout,
            () => $"the indexer tried {_elasticsearch.FailedBulkRequests} times during the outage");
        var health = await AnalyticsIndexerHost.HealthAsync(indexer);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("retrying", health.Description);
        await indexer.DisposeAsync(); // a graceful stop abandons the batch it could not index
        Assert.Equal(before.Count, AnalyticsIndexerHost.CommittedOffsets(_kafka.BootstrapServers));
        Assert.Equal(before.Count, _elasticsearch.Documents.Count);

        _elasticsearch.Outage = false;
        await using var restarted = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);
        await WaitForDocumentsAsync(before.Count + during.Count);
        await WaitForCommittedAsync(before.Count + during.Count);

        Assert.Equal(before.Concat(during).Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
        Assert.Equal(0, _elasticsearch.Overwrites); // the restart read on from the committed offsets, not from the start
    }

    [Fact]
    public async Task WaitsForAnElasticsearchThatIsNotUpYetThenPutsTheTemplateAndIndexes()
    {
        var port = _elasticsearch.Endpoint.Port;
        var connectionString = _elasticsearch.ConnectionString;
        await _elasticsearch.DisposeAsync(); // connections are refused from here on
        var lines = await PublishOrdersAsync(orders: 5, linesPerOrder: 2);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, connectionString);
        await Eventually.WaitUntilAsync(
            () => AnalyticsIndexerHost.HealthAsync(indexer).GetAwaiter().GetResult().Description?.Contains("retrying putting the index template") == true,
            Timeout, () => "the indexer does not report that it waits for Elasticsearch");
        Assert.Equal(HealthStatus.Degraded, (await AnalyticsIndexerHost.HealthAsync(indexer)).Status);

        _elasticsearch = await ElasticsearchBulkStandIn.StartAsync(port);
        await WaitForDocumentsAsync(lines.Count);
        await WaitForCommittedAsync(lines.Count);

        Assert.Contains(AnalyticsIndexTemplate.TemplateName, _elasticsearch.Templates.Keys);
        Assert.Equal(lines.Select(Id).Order(), _elasticsearch.Documents.Keys.Order());
    }

    [Fact]
    public async Task ABatchOfOneOrderIsASpanInThatOrdersTraceWithTheBulkRequestBelowIt()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "FoodOrdering.Tests" or "FoodOrdering.Transactions" or "Elastic.Transport" or KafkaTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("FoodOrdering.Tests");
        var order = source.StartActivity("place order")!;
        var lines = await PublishOrdersAsync(orders: 1, linesPerOrder: 3);
        order.Stop();

        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, _elasticsearch.ConnectionString);
        await WaitForDocumentsAsync(lines.Count);
        Activity? batch = null;
        await Eventually.WaitUntilAsync(
            () => (batch = stopped.FirstOrDefault(a => a.OperationName == $"index {Topics.OrdersAnalytics}" && a.TraceId == order.TraceId)) is not null,
            Timeout, () => "no index span in the order's trace");

        Assert.Equal(lines[0].OrderId.ToString(), batch!.GetTagItem("order.id"));
        Assert.Equal(3, batch.GetTagItem("messaging.batch.message_count"));
        Assert.Contains(stopped, a => a.Source.Name == "Elastic.Transport" && a.ParentSpanId == batch.SpanId);
    }

    [Fact]
    public async Task StaysIdleAndHealthyAndSaysWhyWhenNoElasticsearchIsConfigured()
    {
        await PublishOrdersAsync(orders: 2, linesPerOrder: 1);
        await using var indexer = await AnalyticsIndexerHost.StartAsync(_kafka.BootstrapServers, elasticsearch: null);

        var health = await AnalyticsIndexerHost.HealthAsync(indexer);

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.StartsWith("idle", health.Description);
        Assert.Contains("--Infrastructure Containers", health.Description);
        Assert.Equal(0, AnalyticsIndexerHost.CommittedOffsets(_kafka.BootstrapServers));
    }

    private async Task<List<OrderLineSold>> PublishOrdersAsync(int orders, int linesPerOrder)
    {
        var lines = new List<OrderLineSold>();
        for (var order = 0; order < orders; order++)
        {
            var orderId = Guid.NewGuid();
            var placedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddMinutes(order);
            lines.AddRange(Enumerable.Range(1, linesPerOrder).Select(line =>
            {
                var item = Menu.Items[(order + line) % Menu.Items.Count];
                return new OrderLineSold(orderId, line, placedAt, item.Id, item.Name, item.Category, line, item.UnitPrice * line);
            }));
        }

        await Task.WhenAll(lines.Select(line =>
            _producer.PublishAsync(Topics.OrdersAnalytics, line.OrderId.ToString(), line, ContractsJsonContext.Default.OrderLineSold)));
        return lines;
    }

    private Task WaitForDocumentsAsync(int count) =>
        Eventually.WaitUntilAsync(() => _elasticsearch.Documents.Count >= count, Timeout,
            () => $"{_elasticsearch.Documents.Count} of {count} documents indexed");

    private Task WaitForCommittedAsync(long offsets) =>
        Eventually.WaitUntilAsync(() => AnalyticsIndexerHost.CommittedOffsets(_kafka.BootstrapServers) >= offsets, Timeout,
            () => $"{AnalyticsIndexerHost.CommittedOffsets(_kafka.BootstrapServers)} of {offsets} offsets committed");

    private static async Task<HealthReportEntry> WaitForHealthAsync(RunningHost indexer, HealthStatus status, string saying)
    {
        HealthReportEntry health = default;
        await Eventually.WaitUntilAsync(() =>
            {
                health = AnalyticsIndexerHost.HealthAsync(indexer).GetAwaiter().GetResult();
                return health.Status == status && health.Description?.Contains(saying, StringComparison.Ordinal) == true;
            },
            Timeout, () => $"the indexer's health is {health.Status} ({health.Description}), not {status} saying '{saying}'");
        return health;
    }

    private static string Id(OrderLineSold line) => $"{line.OrderId}-{line.LineNumber}";

    private static string? Header(ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
