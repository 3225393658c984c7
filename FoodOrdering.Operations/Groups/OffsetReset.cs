using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FoodOrdering.Operations.Log;
using FoodOrdering.Operations.Records;

namespace FoodOrdering.Operations.Groups;

/// <summary>
/// Moves a group's committed offsets to the earliest, the latest or a time, as KafkaFlow's admin and
/// <c>kafka-consumer-groups --reset-offsets</c> do: planned first (how many records each partition would read again or
/// skip), and only for a group with no members, since a member's own commits would overwrite the reset.
/// </summary>
internal sealed class OffsetReset(ConsoleKafka kafka, ConsumerGroupReader groups, TopicTail tail, RecordBrowser browser)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<ResetResult> PlanAsync(string group, string to, DateTimeOffset? at, IReadOnlyList<string>? topics)
    {
        var committed = await groups.CommittedAsync(group);
        var chosen = topics ?? [.. committed.Keys.Select(p => p.Topic).Distinct()];
        var plan = await Task.Run(() =>
        {
            using var reader = kafka.CreateReader("reset");
            return chosen.SelectMany(topic => tail.Topics[topic].Partitions.OrderBy(p => p.Key).Select(p =>
            {
                var partition = new TopicPartition(topic, p.Key);
                var watermarks = reader.QueryWatermarkOffsets(partition, Timeout);
                var target = to switch
                {
                    "earliest" => watermarks.Low.Value,
                    "latest" => watermarks.High.Value,
                    _ => browser.FirstAtOrAfter(partition, at!.Value, watermarks.High.Value),
                };
                long? current = committed.TryGetValue(partition, out var offset) ? offset : null;
                var from = current ?? watermarks.Low.Value;
                return new ResetPartition(topic, p.Key, current, target,
                    target < from ? p.Value.CountBetween(target, from) : 0,
                    target > from ? p.Value.CountBetween(from, target) : 0);
            })).ToList();
        });
        return new ResetResult(group, to, at, true, plan);
    }

    /// <summary>Commits the plan's targets for the group; the cluster refuses it (UnknownMemberId, RebalanceInProgress) while the group has members.</summary>
    public async Task ApplyAsync(ResetResult plan)
    {
        var admin = kafka.Admin;
        await ConsoleKafka.Answered(admin.AlterConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitionOffsets(plan.GroupId, [.. plan.Partitions.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, p.Target))])],
            new AlterConsumerGroupOffsetsOptions { RequestTimeout = Timeout }));
    }
}
