using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>
/// Watches one consumer through librdkafka's statistics: lag per partition (published through
/// <see cref="KafkaConsumerLagGauge"/>) and whether the consumer moves. Ready means the consumer joined its
/// group, its loop keeps polling (statistics keep arriving), and, when messages are waiting, its position advanced
/// within the stall timeout; a loop stuck on a message
/// (an outage downstream, a hung handler) turns readiness to the registration's failure status (unhealthy unless
/// the consumer is registered as a side consumer) while lag builds up.
/// </summary>
/// <remarks>
/// Lag counts messages not yet fetched, fetched but not handed out, and handed out but not finished (as the worker
/// reports them), so work taken but not done counts; it is not end − position because transaction markers take
/// offsets the consumer never sees, so behind a transactional producer that difference never reaches zero. Progress is the consumer's own position moving: the offset it stored after
/// finishing work, else the next offset handed to the application.
/// </remarks>
public sealed class KafkaConsumerMonitor : IHealthCheck
{
    private readonly string _groupId;
    private readonly TimeSpan _stallTimeout;
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionState> _partitions = new();
    private readonly ConcurrentDictionary<(string Topic, int Partition), int> _inFlight = new();
    private readonly long _createdAt = Stopwatch.GetTimestamp();
    private volatile bool _joined;
    private long _lastStatistics;

    private readonly bool _statisticsEnabled;

    internal KafkaConsumerMonitor(string groupId, TimeSpan stallTimeout, bool statisticsEnabled)
    {
        _groupId = groupId;
        _stallTimeout = stallTimeout;
        _statisticsEnabled = statisticsEnabled;
    }

    internal void Assigned()
    {
        Interlocked.Exchange(ref _lastStatistics, Stopwatch.GetTimestamp());
        _joined = true;
    }

    /// <summary>The worker took these records and has not finished them yet (replacing what it said before).</summary>
    internal void InFlight(IEnumerable<Confluent.Kafka.ConsumeResult<string, byte[]>> records)
    {
        _inFlight.Clear();
        foreach (var partition in records.GroupBy(record => (record.Topic, record.Partition.Value)))
        {
            _inFlight[partition.Key] = partition.Count();
        }
    }

    /// <summary>Reads one librdkafka statistics document (see librdkafka's STATISTICS.md).</summary>
    internal void Statistics(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("topics", out var topics))
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _lastStatistics, now);
        var seen = new HashSet<(string, int)>();
        foreach (var topic in topics.EnumerateObject())
        {
            foreach (var partition in topic.Value.GetProperty("partitions").EnumerateObject())
            {
                var id = int.Parse(partition.Name, CultureInfo.InvariantCulture);
                var stats = partition.Value;
                if (id < 0 || !stats.GetProperty("desired").GetBoolean())
                {
                    continue;
                }

                var end = stats.GetProperty("ls_offset").GetInt64();
                var next = stats.GetProperty("next_offset").GetInt64();
                var position = Position(stats);
                if (end < 0 || next < 0)
                {
                    continue;
                }

                var lag = Math.Max(0, end - next) + stats.GetProperty("fetchq_cnt").GetInt64() + _inFlight.GetValueOrDefault((topic.Name, id));
                seen.Add((topic.Name, id));
                _partitions.AddOrUpdate(
                    (topic.Name, id),
                    _ => new PartitionState(lag, position, now),
                    (_, previous) => new PartitionState(lag, position, position != previous.Position ? now : previous.MovedAt));
            }
        }

        // Partitions no longer held (revoked in a rebalance) are not this consumer's lag any more.
        foreach (var key in _partitions.Keys.Where(key => !seen.Contains(key)))
        {
            _partitions.TryRemove(key, out _);
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

        // Statistics arrive through the consume call, so when they stop the loop is stuck inside its work.
        var silent = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastStatistics));
        if (_statisticsEnabled && silent > _stallTimeout)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Consumer group {_groupId} made no progress: its loop has not polled for {silent.TotalSeconds:0} s"));
        }

        var lag = 0L;
        foreach (var ((topic, partition), state) in _partitions)
        {
            lag += state.Lag;
            var still = Stopwatch.GetElapsedTime(state.MovedAt);
            if (state.Lag > 0 && still > _stallTimeout)
            {
                return Task.FromResult(new HealthCheckResult(
                    context.Registration.FailureStatus,
                    $"Consumer group {_groupId} made no progress on {topic} [{partition}] for {still.TotalSeconds:0} s with {state.Lag} messages waiting"));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Consumer group {_groupId}: lag {lag}"));
    }

    internal IEnumerable<Measurement<long>> ObserveLag() =>
        _partitions.Select(pair => new Measurement<long>(
            pair.Value.Lag,
            new KeyValuePair<string, object?>("messaging.consumer.group.name", _groupId),
            new KeyValuePair<string, object?>("messaging.destination.name", pair.Key.Topic),
            new KeyValuePair<string, object?>("messaging.destination.partition.id", pair.Key.Partition.ToString(CultureInfo.InvariantCulture))));

    private static long Position(JsonElement stats)
    {
        var stored = stats.GetProperty("stored_offset").GetInt64();
        return stored >= 0 ? stored : stats.GetProperty("app_offset").GetInt64();
    }

    private readonly record struct PartitionState(long Lag, long Position, long MovedAt);
}
