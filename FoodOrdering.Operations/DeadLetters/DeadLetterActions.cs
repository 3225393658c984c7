using System.Globalization;
using System.Security.Claims;
using System.Text;
using Confluent.Kafka;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Log;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.DeadLetters;

/// <summary>
/// Re-drives dead letters to their source topics, or discards them, and audits each action. A re-driven record
/// carries <see cref="RedriveHeaders.Of"/>, which is itself the mark that its dead letter is handled: the mark exists
/// exactly when the record does, so a console that dies mid-way, a write the broker fails, or a second press can
/// neither lose a re-drive nor make two. Before acting, the console reads the log to its end, so marks written by an
/// earlier run count.
/// </summary>
internal sealed partial class DeadLetterActions(
    DeadLetterIndex index, OrderIndex orders, TopicTail tail, ConsoleKafka kafka, IProducer<string, byte[]> producer, AuditWriter audit,
    IOptions<OperationsOptions> options, ILogger<DeadLetterActions> logger)
{
    // Records re-driven between two waits for acknowledgements: bounds the memory of dead letters read (up to 900 KiB each).
    private const int Batch = 50;
    private const int AuditedPerEntry = 500;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<DeadLetterActionResult> RedriveAsync(IReadOnlyList<DeadLetter> letters, bool groupAction, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        await ActAsync(AuditActions.Redrive, letters, groupAction, user, context, cancellationToken);

    public async Task<DeadLetterActionResult> DiscardAsync(IReadOnlyList<DeadLetter> letters, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken) =>
        await ActAsync(AuditActions.Discard, letters, groupAction: false, user, context, cancellationToken);

    private async Task<DeadLetterActionResult> ActAsync(string action, IReadOnlyList<DeadLetter> letters, bool groupAction, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            var involved = letters.SelectMany(letter => new[] { letter.At.Topic, letter.SourceTopic }).Append(Topics.OperationsAudit).Distinct().ToList();
            await tail.WaitUntilReadAsync(involved, SettleTimeout, cancellationToken);
            var outcomes = new List<AuditedRecord>();
            var pending = new List<DeadLetter>();
            foreach (var letter in letters)
            {
                if (index.HandledAs(letter.At) is { } handled)
                {
                    outcomes.Add(new AuditedRecord(letter.At.ToString(), AuditOutcomes.AlreadyHandled, $"{handled.Outcome} {handled.Detail}".Trim()));
                }
                else if (action == AuditActions.Redrive && groupAction && letter.RedriveCount >= options.Value.RedriveLimit)
                {
                    outcomes.Add(new AuditedRecord(letter.At.ToString(), AuditOutcomes.OverLimit, $"re-driven {letter.RedriveCount} times already"));
                }
                else if (action == AuditActions.Discard)
                {
                    outcomes.Add(new AuditedRecord(letter.At.ToString(), AuditOutcomes.Discarded));
                }
                else
                {
                    pending.Add(letter);
                }
            }

            foreach (var batch in pending.Chunk(Batch))
            {
                outcomes.AddRange(await RedriveBatchAsync(batch, cancellationToken));
            }

            var target = letters.Select(letter => letter.Group).Distinct().Count() == 1 ? $"group {letters[0].Group}" : $"{letters.Count} records";
            Guid? auditId = null;
            foreach (var chunk in outcomes.Chunk(AuditedPerEntry))
            {
                var failed = chunk.Count(r => r.Outcome == AuditOutcomes.Failed);
                var outcome = failed == 0 ? AuditOutcomes.Done : failed < chunk.Length ? AuditOutcomes.Partial : AuditOutcomes.Failed;
                var entry = await audit.WriteAsync(user, context, action, target, chunk, outcome, cancellationToken);
                auditId ??= entry.Id;
            }

            // So that the answer, and the next page load, show the new marks.
            await tail.WaitUntilReadAsync(involved, SettleTimeout, cancellationToken);
            return new DeadLetterActionResult(auditId ?? Guid.Empty, action, outcomes);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<IEnumerable<AuditedRecord>> RedriveBatchAsync(DeadLetter[] batch, CancellationToken cancellationToken)
    {
        var sources = await Task.Run(() => ReadSources(batch), cancellationToken);
        var sends = batch.Select(async letter =>
        {
            if (!sources.TryGetValue(letter.At, out var source) || source.Message is not { } message)
            {
                return new AuditedRecord(letter.At.ToString(), AuditOutcomes.Failed, source.Why ?? "the record is no longer on the log");
            }

            try
            {
                var delivered = await producer.PublishAsync(letter.SourceTopic, message, cancellationToken);
                return new AuditedRecord(letter.At.ToString(), AuditOutcomes.Redriven, $"{delivered.Topic}/{delivered.Partition.Value}/{delivered.Offset.Value}");
            }
            catch (ProduceException<string, byte[]> e)
            {
                LogRedriveFailed(logger, letter.At.ToString(), letter.SourceTopic, e.Error.Code, e.Error.Reason);
                return new AuditedRecord(letter.At.ToString(), AuditOutcomes.Failed, $"{e.Error.Code}: {e.Error.Reason}");
            }
        });
        return await Task.WhenAll(sends);
    }

    // Each dead letter's original record, as the source topic's consumer should see it again; for a failed email,
    // the order's confirmation it came from.
    private Dictionary<RecordCoordinates, (Message<string, byte[]>? Message, string? Why)> ReadSources(DeadLetter[] batch)
    {
        var wanted = batch.ToDictionary(letter => letter.At, letter => DeadLetterTopics.IsDeadLetterTopic(letter.At.Topic)
            ? letter.At
            : orders.Find(letter.Key ?? "").FirstOrDefault(at => at.Topic == Topics.OrdersConfirmed));
        var raw = ReadRaw(wanted.Values.Where(at => at.Topic is not null).Distinct());
        return batch.ToDictionary(letter => letter.At, letter =>
        {
            if (wanted[letter.At].Topic is null)
            {
                return ((Message<string, byte[]>?)null, (string?)(orders.HeldFrom().Any(at => at.Topic == Topics.OrdersConfirmed)
                    ? $"no {Topics.OrdersConfirmed} record of order {letter.Key} among the newest records the order index holds ({nameof(OperationsOptions.OrderIndexCapacity)}); older ones were not searched"
                    : $"no {Topics.OrdersConfirmed} record of order {letter.Key} to send again"));
            }

            if (!raw.TryGetValue(wanted[letter.At], out var record))
            {
                return (null, "the record is no longer on the log");
            }

            if (record.Message.Headers?.Any(h => h.Key is DeadLetterHeaders.TruncatedFrom or DeadLetterHeaders.KeyTruncatedFrom) == true)
            {
                return (null, "the dead letter holds only part of the original record");
            }

            var headers = new Headers();
            foreach (var header in record.Message.Headers ?? [])
            {
                if (!header.Key.StartsWith("dead-letter.", StringComparison.Ordinal) && header.Key is not (RedriveHeaders.Count or RedriveHeaders.Of))
                {
                    headers.Add(header.Key, header.GetValueBytes());
                }
            }

            headers.Add(RedriveHeaders.Count, Encoding.UTF8.GetBytes((letter.RedriveCount + 1).ToString(CultureInfo.InvariantCulture)));
            headers.Add(RedriveHeaders.Of, Encoding.UTF8.GetBytes(letter.At.ToString()));
            return (new Message<string, byte[]>
            {
                Key = record.Message.Key is { } key ? Encoding.UTF8.GetString(key) : null!,
                Value = record.Message.Value ?? [],
                Headers = headers,
            }, null);
        });
    }

    private Dictionary<RecordCoordinates, ConsumeResult<byte[]?, byte[]?>> ReadRaw(IEnumerable<RecordCoordinates> coordinates)
    {
        var found = new Dictionary<RecordCoordinates, ConsumeResult<byte[]?, byte[]?>>();
        using var reader = kafka.CreateReader("redrive");
        foreach (var partition in coordinates.GroupBy(at => (at.Topic, at.Partition)))
        {
            var offsets = partition.Select(at => at.Offset).ToHashSet();
            var last = offsets.Max();
            reader.Assign(new TopicPartitionOffset(partition.Key.Topic, partition.Key.Partition, offsets.Min()));
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline && reader.Consume(TimeSpan.FromMilliseconds(200)) is var result)
            {
                if (result is null)
                {
                    continue;
                }

                if (!result.IsPartitionEOF && offsets.Contains(result.Offset.Value))
                {
                    found[new RecordCoordinates(result.Topic, result.Partition.Value, result.Offset.Value)] = result;
                }

                if (result.IsPartitionEOF || result.Offset.Value >= last)
                {
                    break;
                }
            }
        }

        return found;
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "Re-driving {DeadLetter} to {SourceTopic} failed ({Code}: {Reason}); it stays unhandled")]
    private static partial void LogRedriveFailed(ILogger logger, string deadLetter, string sourceTopic, ErrorCode code, string reason);
}
