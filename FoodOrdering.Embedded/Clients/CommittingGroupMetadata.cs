using Confluent.Kafka;

namespace FoodOrdering.Embedded.Clients;

/// <summary>
/// A consumer's group metadata together with where that consumer's offsets are committed again, so that the
/// producer which sends the offsets to a transaction can hand them on once the transaction commits. Unwrapped
/// before it reaches Confluent's producer, which takes only the metadata its consumer made.
/// </summary>
internal sealed record CommittingGroupMetadata(IConsumerGroupMetadata Metadata, DirectOffsetCommits Commits) : IConsumerGroupMetadata;
