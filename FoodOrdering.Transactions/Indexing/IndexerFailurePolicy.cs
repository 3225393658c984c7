using FoodOrdering.Kafka;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// What each way Elasticsearch does not take a document gets, in one place (docs/failures.md has the table). Nothing
/// is retried in place: a bulk request is tried again by the consume loop's replay, which sends only what is still to
/// do.
/// </summary>
internal static class IndexerFailurePolicy
{
    public static FailurePolicy<ElasticsearchFailure> For(IndexerOptions options) => new FailurePolicy<ElasticsearchFailure>()
        .On(failure => failure.IsDocumentFault).DeadLetter(DeadLetterReasons.Rejected)
        // Not known to be the document's, nor the cluster's: the document's own once it fails alone while others are indexed.
        .On(failure => failure.Kind == ElasticsearchFailureKind.Unexpected).Replay()
        // Access, a missing index, a block, overload, no answer: the cluster's, which every document would meet.
        .Otherwise().WaitOut()
        .ReplayWithBackoff(options.FirstRetryDelay, options.MaxRetryDelay);
}
