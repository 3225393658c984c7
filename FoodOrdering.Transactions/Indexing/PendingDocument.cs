using Confluent.Kafka;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>A record read into its document, not yet acknowledged by Elasticsearch.</summary>
internal sealed record PendingDocument(ConsumeResult<string, byte[]> Record, AnalyticsDocument Document);
