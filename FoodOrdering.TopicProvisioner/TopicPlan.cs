using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FoodOrdering.TopicProvisioner;

/// <summary>What the topics should be, and how what a broker answered compares with that.</summary>
internal static class TopicPlan
{
    public const string MinInSyncReplicasConfig = "min.insync.replicas";
    public const string RetentionConfig = "retention.ms";
    public const string CleanupPolicyConfig = "cleanup.policy";

    // One claim per order id is all Transactions reads back; compaction keeps the latest per id, and retention still
    // drops claims older than the rest of the log.
    private const string CompactAndDelete = "compact,delete";
    private const string Compact = "compact";

    public static List<TopicSpecification> Specifications(IEnumerable<string> topics, TopicProvisioningOptions options) =>
    [
        .. topics.Select(topic => new TopicSpecification
        {
            Name = topic,
            NumPartitions = options.Partitions,
            ReplicationFactor = options.ReplicationFactor,
            Configs = Configs(topic, options),
        }),
    ];

    private static Dictionary<string, string> Configs(string topic, TopicProvisioningOptions options)
    {
        var configs = new Dictionary<string, string>
        {
            [MinInSyncReplicasConfig] = options.MinInSyncReplicas.ToString(CultureInfo.InvariantCulture),
            [RetentionConfig] = ((long)options.Retention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        if (topic == Contracts.Topics.OrderIdClaims)
        {
            configs[CleanupPolicyConfig] = CompactAndDelete;
        }
        else if (topic == Contracts.Topics.ConsumptionControl)
        {
            // A group's latest command is its state, however old: retention must not resume a paused group.
            configs[CleanupPolicyConfig] = Compact;
        }

        return configs;
    }

    /// <summary>The topics of <paramref name="topics"/> the brokers do not list.</summary>
    public static List<string> Missing(IEnumerable<string> topics, IEnumerable<TopicMetadata> existing)
    {
        var listed = existing.Where(topic => topic.Error.Code != ErrorCode.UnknownTopicOrPart).Select(topic => topic.Topic).ToHashSet();
        return [.. topics.Where(topic => !listed.Contains(topic))];
    }

    /// <summary>
    /// The topics a create request failed for, with why. A topic that already exists is in place, not a failure: a
    /// second run, another replica of this step, or a topic made by hand all find it there.
    /// </summary>
    public static List<string> Failures(IEnumerable<CreateTopicReport> results) =>
    [
        .. results.Where(result => result.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            .Select(result => $"{result.Topic}: {result.Error.Reason} ({result.Error.Code})"),
    ];

    /// <summary>
    /// The topics the brokers report with fewer partitions than planned (made earlier, by hand or with other
    /// settings). They still deliver every order, with less parallelism. Partitions are not added here: adding them
    /// moves keys to other partitions, which only an operator can decide to do.
    /// </summary>
    public static List<string> FewerPartitions(IEnumerable<string> topics, IEnumerable<TopicMetadata> existing, int partitions) =>
    [
        .. existing.Where(topic => topics.Contains(topic.Topic) && topic.Error.Code == ErrorCode.NoError && topic.Partitions.Count < partitions)
            .Select(topic => $"{topic.Topic} has {topic.Partitions.Count} of the {partitions} partitions planned " +
                             $"(kafka-topics --alter --topic {topic.Topic} --partitions {partitions} adds them; keys then move to other partitions)"),
    ];
}
