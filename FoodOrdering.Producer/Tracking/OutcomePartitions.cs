using Confluent.Kafka;
using FoodOrdering.Contracts;

namespace FoodOrdering.Producer.Tracking;

/// <summary>
/// The partitions of the outcome topics the tracking reader has not been given yet: a deployment may start the
/// Producer before its topics exist, and an operator may add partitions later, so the brokers' list is asked again
/// and again and each partition is handed out once, when it first appears.
/// </summary>
internal sealed class OutcomePartitions
{
    private static readonly string[] OutcomeTopics = [Topics.OrdersConfirmed, Topics.OrdersRejected, Topics.EmailsSent, Topics.EmailsFailed];

    private readonly HashSet<TopicPartition> _known = [];

    public int Count => _known.Count;

    /// <summary>The outcome partitions in <paramref name="metadata"/> not seen before; from then on they are known.</summary>
    public List<TopicPartition> Added(Metadata metadata) =>
        [.. metadata.Topics
            .Where(topic => OutcomeTopics.Contains(topic.Topic) && topic.Error.Code == ErrorCode.NoError)
            .SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))
            .Where(_known.Add)];
}
