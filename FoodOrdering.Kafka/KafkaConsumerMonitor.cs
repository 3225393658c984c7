using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>
/// Watches one consumer: lag per partition (published through <see cref="KafkaConsumerLagGauge"/>) and whether
/// its worker makes progress. Ready means the consumer joined its group, its loop keeps polling (librdkafka's
/// statistics, which arrive through the consume call, keep coming), and, while messages wait, the worker reported
/// finished work within the stall timeout. A loop stuck on a message (an outage downstream, a hung handler, a
/// transaction that aborts again and again) turns readiness to the registration's failure status: unhealthy, unless
/// the consumer is registered as a side consumer.
/// </summary>
/// <remarks>
/// Lag is what the broker has that the consumer has not fetched, plus what it fetched but did not hand out, plus
/// what its worker holds unfinished. It is not end − position: transaction markers take offsets the consumer never
/// sees, so behind a transactional producer that difference never reaches zero.
/// </remarks>
public sealed class KafkaConsumerMonitor : IHealthCheck
{
    private readonly string _groupId;
    private readonly TimeSpan _stallTimeout;
    private readonly bool _statisticsEnabled;
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _waiting = new();
    private readonly ConcurrentDictionary<(string Topic, int Partition), int> _inFlight = new();
    private readonly long _createdAt = Stopwatch.GetTimestamp();
    private volatile bool _joined;
    private long _lastStatistics;
    private long _lastProgress = Stopwatch.GetTimestamp();

    internal KafkaConsumerMonitor(string groupId, TimeSpan stallTimeout, bool statisticsEnabled)
    {
        _groupId = groupId;
        _stallTimeout = stallTimeout;
        _statisticsEnabled = statisticsEnabled;
    }

    /// <summary>The worker took these records and has not finished them yet.</summary>
    public void Started(IEnumerable<ConsumeResult<string, byte[]>> records)
    {
        foreach (var partition in records.GroupBy(record => (record.Topic, record.Partition.Value)))
        {
            _inFlight[partition.Key] = partition.Count();
        }
    }

    /// <summary>The worker made its work durable (stored or committed offsets): the consumer is moving.</summary>
    public void Progressed()
    {
        _inFlight.Clear();
        Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());
    }

    /// <summary>An operator's pause holds the records on purpose: that is no stall, and the clock starts again at the resume.</summary>
    public void Held() => Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());

    internal void Assigned()
    {
        Interlocked.Exchange(ref _lastStatistics, Stopwatch.GetTimestamp());
        _joined = true;
    }

    /// <summary>Reads one librdkafka statistics document (see librdkafka's STATISTICS.md).</summary>
    internal void Statistics(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("topics", out var topics))
        {
            return;
        }

        var idleBefore = TotalLag() == 0;
        Interlocked.Exchange(ref _lastStatistics, Stopwatch.GetTimestamp());
        var seen = new HashSet<(string, int)>();
        foreach (var topic in topics.EnumerateObject())
        {
            foreach (var partition in topic.Value.GetProperty("partitions").EnumerateObject())
            {
                var id = int.Parse(partition.Name, CultureInfo.InvariantCulture);
                var stats = partition.Value;
                var end = stats.GetProperty("ls_offset").GetInt64();
                var next = stats.GetProperty("next_offset").GetInt64();
                if (id < 0 || !stats.GetProperty("desired").GetBoolean() || end < 0 || next < 0)
                {
                    continue;
                }

                seen.Add((topic.Name, id));
                _waiting[(topic.Name, id)] = Math.Max(0, end - next) + stats.GetProperty("fetchq_cnt").GetInt64();
            }
        }

        // Partitions no longer held (revoked in a rebalance) are not this consumer's lag any more.
        foreach (var key in _waiting.Keys.Where(key => !seen.Contains(key)))
        {
            _waiting.TryRemove(key, out _);
        }

        // An idle consumer was not stalled: the stall clock starts when work arrives.
        if (idleBefore)
        {
            Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_joined)
        {
            // Joining takes a moment at every start; only a consumer that does not get there in time is unhealthy.
            var waiting = Stopwatch.GetElapsedTime(_createdAt);
            return Task.FromResult(waiting < _stallTimeout
                ? HealthCheckResult.Degraded($"Consumer group {_groupId}: joining, waiting for a partition assignment")
                : new HealthCheckResult(context.Registration.FailureStatus, $"Consumer group {_groupId}: no partition assignment after {waiting.TotalSeconds:0} s"));
        }

        var silent = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastStatistics));
        if (_statisticsEnabled && silent > _stallTimeout)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Consumer group {_groupId} made no progress: its loop has not polled for {silent.TotalSeconds:0} s"));
        }

        var lag = TotalLag();
        var still = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastProgress));
        return Task.FromResult(lag > 0 && still > _stallTimeout
            ? new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Consumer group {_groupId} made no progress for {still.TotalSeconds:0} s with {lag} messages waiting")
            : HealthCheckResult.Healthy($"Consumer group {_groupId}: lag {lag}"));
    }

    internal IEnumerable<Measurement<long>> ObserveLag() =>
        _waiting.Select(pair => new Measurement<long>(
            Lag(pair.Key, pair.Value),
            new KeyValuePair<string, object?>("messaging.consumer.group.name", _groupId),
            new KeyValuePair<string, object?>("messaging.destination.name", pair.Key.Topic),
            new KeyValuePair<string, object?>("messaging.destination.partition.id", pair.Key.Partition.ToString(CultureInfo.InvariantCulture))));

    // In flight is read now, not when the statistics came: a worker stuck on a batch stops the statistics too.
    private long Lag((string Topic, int Partition) partition, long waiting) => waiting + _inFlight.GetValueOrDefault(partition);

    private long TotalLag() => _waiting.Sum(pair => Lag(pair.Key, pair.Value));
}
