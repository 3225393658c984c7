using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using FoodOrdering.Operations.Log;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.Groups;

/// <summary>
/// Consumer groups as the cluster describes them (state, members) with their committed offsets, and their lag in
/// records from the tail's record offsets. Besides the groups the cluster lists, the console knows the pipeline's own
/// and every group an operator has paused or resumed (on <see cref="Topics.ConsumptionControl"/>), whether or not it
/// has members or committed offsets: a group paused before it first commits is still paused.
/// </summary>
internal sealed class ConsumerGroupReader(ConsoleKafka kafka, TopicTail tail, ConsumptionStates consumption, IOptions<OperationsOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<string>> ListAsync()
    {
        IEnumerable<string> known = [.. ConsumerGroups.All, .. consumption.Groups.Order(StringComparer.Ordinal)];
        if (!options.Value.ListConsumerGroups)
        {
            return [.. known.Distinct()];
        }

        var admin = kafka.Admin;
        try
        {
            var listed = await ConsoleKafka.Answered(admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Timeout }));
            return [.. listed.Valid.Select(group => group.GroupId).Where(id => id != ConsoleKafka.ReaderGroupId).Union(known).Order(StringComparer.Ordinal)];
        }
        catch (KafkaException)
        {
            return [.. known.Distinct()];
        }
    }

    /// <summary>Whether the cluster lists the group, or it has committed offsets (a group the cluster does not list).</summary>
    public async Task<bool> ExistsAsync(string group) =>
        (await ListAsync()).Contains(group) || (await CommittedAsync(group)).Count > 0;

    public async Task<(string State, IReadOnlyList<GroupMember>? Members)> DescribeAsync(string group)
    {
        var admin = kafka.Admin;
        try
        {
            var described = (await ConsoleKafka.Answered(admin.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = Timeout }))).ConsumerGroupDescriptions.Single();
            return (described.State.ToString(), [.. described.Members.Select(member => new GroupMember(
                member.ClientId, member.Host, [.. (member.Assignment?.TopicPartitions ?? []).Select(p => $"{p.Topic}/{p.Partition.Value}")]))]);
        }
        catch (KafkaException)
        {
            return ("Unknown", null);
        }
    }

    /// <summary>The group's committed offsets on every partition the tail knows, those with none left out.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> CommittedAsync(string group)
    {
        var partitions = tail.Topics.Values
            .SelectMany(topic => topic.Partitions.Keys.Select(partition => new TopicPartition(topic.Name, partition)))
            .ToList();
        if (partitions.Count == 0)
        {
            // The tail has read no topic yet (the console is starting): there is nothing to ask for.
            return new Dictionary<TopicPartition, long>();
        }

        var admin = kafka.Admin;
        var listed = await ConsoleKafka.Answered(admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, partitions)],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout }));
        return listed.Single().Partitions
            .Where(p => p.Error.Code == ErrorCode.NoError && !p.Offset.IsSpecial)
            .ToDictionary(p => p.TopicPartition, p => p.Offset.Value);
    }

    public IReadOnlyList<TopicLag> Lag(IReadOnlyDictionary<TopicPartition, long> committed)
    {
        return [.. committed.Keys.Select(p => p.Topic).Distinct().Order(StringComparer.Ordinal).Select(topic =>
        {
            var records = tail.Topics[topic];
            var partitions = records.Partitions.OrderBy(p => p.Key).Select(p =>
            {
                long? offset = committed.TryGetValue(new TopicPartition(topic, p.Key), out var c) ? c : null;
                return new PartitionLag(p.Key, offset, p.Value.ReadTo, p.Value.CountBetween(offset ?? 0, long.MaxValue));
            }).ToList();
            return new TopicLag(topic, partitions.Sum(p => p.Lag), partitions);
        })];
    }
}
