using System.Text.Json;
using Confluent.Kafka;

namespace FoodOrdering.Benchmarks.Measurement;

/// <summary>
/// A read_committed consumer outside any group, on its own thread, that tallies every record on the given topics
/// from the given offsets by its key (the order id). With a latency recorder it also reads <c>placedAt</c> from each
/// first arrival and records placed → seen here, in wall-clock time of this process.
/// </summary>
internal sealed class TopicWatcher : IDisposable
{
    private static readonly byte[] PlacedAtName = "placedAt"u8.ToArray();

    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly DeliveryTally _tally;
    private readonly LatencyRecorder? _latency;
    private long _firstArrival;
    private long _lastArrival;

    public TopicWatcher(string bootstrapServers, IEnumerable<TopicPartitionOffset> from, DeliveryTally tally, LatencyRecorder? latency = null)
    {
        _tally = tally;
        _latency = latency;
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"benchmark-watcher-{Guid.NewGuid():N}",
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            // The embedded broker holds a fetch that finds nothing for all of this, even when records arrive meanwhile, so
            // this wait is part of every latency measured (bench/README.md#the-10-ms-commit-and-the-batch-that-closed-too-early).
            FetchWaitMaxMs = 1,
            // A record gone from the log before it was read must fail the run, not be skipped.
            AutoOffsetReset = AutoOffsetReset.Error,
        }).Build();
        consumer.Assign(from);
        _thread = new Thread(() => Run(consumer)) { IsBackground = true, Name = "benchmark topic watcher" };
        _thread.Start();
    }

    /// <summary>Why the watcher stopped early (e.g. records it had not read were gone from the log), if it did.</summary>
    public string? Error { get; private set; }

    /// <summary>Wall-clock times (Stopwatch ticks) of the first and the latest arrival of an expected order.</summary>
    public (long First, long Last) ArrivalWindow => (Interlocked.Read(ref _firstArrival), Interlocked.Read(ref _lastArrival));

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Run(IConsumer<string, byte[]> consumer)
    {
        using (consumer)
        {
            while (!_stop.IsCancellationRequested)
            {
                ConsumeResult<string, byte[]>? record;
                try
                {
                    record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e)
                {
                    Error = $"{e.ConsumerRecord?.TopicPartitionOffset}: {e.Error.Reason}";
                    Console.Error.WriteLine($"  the benchmark's reader failed, so some records cannot be counted: {Error}");
                    return;
                }

                if (record is not { IsPartitionEOF: false })
                {
                    continue;
                }

                var seenAt = DateTimeOffset.UtcNow;
                if (!Guid.TryParse(record.Message.Key, out var orderId) || !_tally.Record(orderId))
                {
                    continue;
                }

                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                Interlocked.CompareExchange(ref _firstArrival, now, 0);
                Interlocked.Exchange(ref _lastArrival, now);
                if (_latency is not null && PlacedAt(record.Message.Value) is { } placedAt)
                {
                    _latency.Record((seenAt - placedAt).TotalMilliseconds);
                }
            }
        }
    }

    /// <summary>The top-level <c>placedAt</c> of a confirmation or rejection, without deserializing the rest.</summary>
    private static DateTimeOffset? PlacedAt(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        var reader = new Utf8JsonReader(value);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(PlacedAtName))
            {
                return reader.Read() && reader.TryGetDateTimeOffset(out var placedAt) ? placedAt : null;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
            {
                reader.Skip();
            }
        }

        return null;
    }
}
