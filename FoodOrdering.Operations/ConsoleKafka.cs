using Confluent.Kafka;
using FoodOrdering.Kafka;

namespace FoodOrdering.Operations;

/// <summary>
/// The console's own clients of the cluster: read_committed readers that are assigned partitions and never join a
/// group (so looking never disturbs a consumer group), and an admin client. Their settings come from the same
/// <c>Aspire:Confluent:Kafka:Consumer</c> section as every service's consumers, security for a managed cluster included.
/// </summary>
internal sealed class ConsoleKafka(ConsumerConfig reader) : IDisposable
{
    private readonly Lazy<IAdminClient> _admin = new(() => CreateAdmin(reader));

    /// <summary>The group id the readers carry; they never subscribe, so it never has members or offsets.</summary>
    public const string ReaderGroupId = "foodordering-operations";

    public static ConsoleKafka From(IHostApplicationBuilder builder)
    {
        var settings = KafkaClientExtensions.BuildConsumerSettings(builder, ConnectionNames.Kafka, serviceKey: null,
            configure => configure.Config.GroupId = ReaderGroupId);
        var config = new ConsumerConfig(settings.Config.ToDictionary(pair => pair.Key, pair => pair.Value))
        {
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            StatisticsIntervalMs = 0,
        };
        return new ConsoleKafka(config);
    }

    /// <summary>A reader for one request: its fetch buffers are kept small, so a page of 1 MiB records stays a page.</summary>
    public IConsumer<byte[]?, byte[]?> CreateReader(string purpose) =>
        new ConsumerBuilder<byte[]?, byte[]?>(Config(purpose, queuedKilobytes: 2 * 1024)).Build();

    /// <summary>The reader that follows every topic (<see cref="Log.TopicTail"/>).</summary>
    public IConsumer<string?, byte[]?> CreateTail(IDeserializer<byte[]?> values) =>
        new ConsumerBuilder<string?, byte[]?>(Config("tail", queuedKilobytes: 16 * 1024)).SetValueDeserializer(values).Build();

    private ConsumerConfig Config(string purpose, int queuedKilobytes) => new(reader.ToDictionary(pair => pair.Key, pair => pair.Value))
    {
        ClientId = $"{reader.ClientId}-{purpose}",
        QueuedMaxMessagesKbytes = queuedKilobytes,
        FetchMaxBytes = queuedKilobytes * 1024,
        MaxPartitionFetchBytes = Math.Min(queuedKilobytes * 1024, 1024 * 1024),
    };

    /// <summary>One admin client for the console's lifetime: disposing one from its own completion would take its poll thread down with it.</summary>
    public IAdminClient Admin => _admin.Value;

    /// <summary>
    /// An admin request's answer, continued on the thread pool: answers complete on the admin client's poll thread,
    /// which what follows must neither block nor end.
    /// </summary>
    public static async Task<T> Answered<T>(Task<T> request)
    {
        await request.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return await request;
    }

    /// <inheritdoc cref="Answered{T}(Task{T})"/>
    public static async Task Answered(Task request)
    {
        await request.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await request;
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }

    private static IAdminClient CreateAdmin(ConsumerConfig reader) =>
        new AdminClientBuilder(reader.Where(pair => !pair.Key.StartsWith("group.", StringComparison.Ordinal) && IsClientWide(pair.Key))).Build();

    // An admin client takes only settings every client has; consumer-only ones would fail its construction.
    private static bool IsClientWide(string key) => key is "bootstrap.servers" or "client.id"
        || key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal)
        || key.StartsWith("ssl.", StringComparison.Ordinal);
}
