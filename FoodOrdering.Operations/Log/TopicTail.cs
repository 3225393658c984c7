using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.DeadLetters;

namespace FoodOrdering.Operations.Log;

/// <summary>
/// Reads every topic from its beginning and follows it, as a read_committed reader outside any group, and keeps
/// what the pages need: each partition's record offsets (so counts and lag are in records, not offsets), the
/// rate, every record's coordinates by order id, the dead letters and the audit. New topics and partitions are
/// picked up, and records deleted by retention forgotten, every <see cref="RefreshInterval"/>.
/// </summary>
internal sealed partial class TopicTail(
    ConsoleKafka kafka, OrderIndex orders, DeadLetterIndex deadLetters, AuditLog audit, TimeProvider time, ILogger<TopicTail> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TopicRecords> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<TopicPartition> _assigned = [];
    private volatile bool _refreshRequested;

    public IReadOnlyDictionary<string, TopicRecords> Topics => _topics;

    /// <summary>Looks for new topics at the next poll rather than at the next refresh.</summary>
    public void RequestRefresh() => _refreshRequested = true;

    /// <summary>
    /// Waits until the tail has read <paramref name="topics"/> up to the ends they have now, so what it says about
    /// them (a dead letter handled, say) holds for everything written before this call.
    /// </summary>
    public async Task WaitUntilReadAsync(IEnumerable<string> topics, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ends = await Task.Run(() =>
        {
            using var watermarks = kafka.CreateReader("watermarks");
            return topics.Where(_topics.ContainsKey)
                .SelectMany(topic => _topics[topic].Partitions.Keys.Select(partition => new TopicPartition(topic, partition)))
                .Select(partition => (partition, watermarks.QueryWatermarkOffsets(partition, Timeout).High.Value))
                .ToList();
        }, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (ends.Any(end => _topics[end.partition.Topic].Partition(end.partition.Partition.Value).ReadTo < end.Value))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The console has not read {string.Join(", ", ends.Select(end => end.partition.Topic).Distinct())} to their ends within {timeout}.");
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var admin = kafka.Admin;
        using var reader = kafka.CreateTail(new TailValueDeserializer());
        var nextRefresh = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_refreshRequested || time.GetUtcNow() >= nextRefresh)
                {
                    _refreshRequested = false;
                    Refresh(admin, reader);
                    nextRefresh = time.GetUtcNow() + RefreshInterval;
                }

                switch (reader.Consume(TimeSpan.FromMilliseconds(100)))
                {
                    case { IsPartitionEOF: true } end:
                        Topic(end.Topic).Partition(end.Partition.Value).ReachedEnd(end.Offset.Value);
                        break;
                    case { } record:
                        Read(record);
                        break;
                }
            }
            catch (JsonException e)
            {
                LogUnreadable(logger, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The pages would otherwise show figures that silently stop moving; the refresh retries in a moment.
                LogReadFailed(logger, e.GetType().Name, e.Message);
                nextRefresh = time.GetUtcNow() + TimeSpan.FromSeconds(1);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }

        reader.Close();
    }

    private void Read(ConsumeResult<string?, byte[]?> record)
    {
        var topic = Topic(record.Topic);
        var at = new RecordCoordinates(record.Topic, record.Partition.Value, record.Offset.Value);
        topic.Partition(at.Partition).Add(at.Offset, record.Message.Timestamp.UtcDateTime);
        topic.Rate.Add(record.Message.Timestamp.UtcDateTime, time.GetUtcNow());
        if (record.Message.Key is { Length: > 0 } key)
        {
            orders.Add(key, at);
        }

        if (DeadLetterTopics.HoldsFailures(record.Topic))
        {
            deadLetters.Add(DeadLetterReader.From(record));
        }
        else if (DeadLetterReader.Text(record.Message.Headers, RedriveHeaders.Of) is { } of && RecordCoordinates.TryParse(of, out var letter))
        {
            deadLetters.MarkHandled(letter, AuditOutcomes.Redriven, record.Message.Timestamp.UtcDateTime, at.ToString());
        }

        if (record.Topic == Contracts.Topics.OperationsAudit && record.Message.Value is { } value
            && JsonSerializer.Deserialize(value, OperationsJsonContext.Default.AuditEntry) is { } entry)
        {
            audit.Add(entry);
            foreach (var audited in entry.Records.Where(r => r.Outcome is AuditOutcomes.Redriven or AuditOutcomes.Discarded))
            {
                if (RecordCoordinates.TryParse(audited.Record, out var handled))
                {
                    deadLetters.MarkHandled(handled, audited.Outcome, entry.At, audited.Detail);
                }
            }
        }
    }

    private TopicRecords Topic(string name) => _topics.GetOrAdd(name, topic => new TopicRecords(topic));

    private void Refresh(IAdminClient admin, IConsumer<string?, byte[]?> reader)
    {
        var metadata = admin.GetMetadata(Timeout);
        var added = new List<TopicPartitionOffset>();
        foreach (var topic in metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal)))
        {
            var records = Topic(topic.Topic);
            foreach (var partition in topic.Partitions)
            {
                records.Partition(partition.PartitionId);
                if (_assigned.Add(new TopicPartition(topic.Topic, partition.PartitionId)))
                {
                    added.Add(new TopicPartitionOffset(topic.Topic, partition.PartitionId, Offset.Beginning));
                }
            }
        }

        if (added.Count > 0)
        {
            reader.IncrementalAssign(added);
        }

        foreach (var partition in _assigned)
        {
            var low = reader.GetWatermarkOffsets(partition).Low;
            if (low.Value > 0)
            {
                _topics[partition.Topic].Partition(partition.Partition.Value).TrimBelow(low.Value);
            }
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "The console's reader failed ({Error}: {Reason}); it goes on in a second")]
    private static partial void LogReadFailed(ILogger logger, string error, string reason);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "An audit record could not be read ({Error}); it is skipped")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
