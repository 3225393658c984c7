namespace FoodOrdering.Kafka;

/// <summary>
/// Why a record went to its dead-letter topic: the <see cref="DeadLetterHeaders.Reason"/> header and the
/// <c>reason</c> tag of every dead-letter metric, so one word means the same thing in every consumer.
/// </summary>
public static class DeadLetterReasons
{
    /// <summary>The value is not the message the consumer expects (bad JSON, empty, JSON null, a null element).</summary>
    public const string Unreadable = "unreadable";

    /// <summary>The value is larger than the consumer reads.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The message was read but its work kept failing (a handler or the pricing threw).</summary>
    public const string Unprocessable = "unprocessable";

    /// <summary>
    /// The record failed alone, again and again, while the records around it got through: a failure the consumer
    /// does not know as the record's, found to be by taking the batch apart.
    /// </summary>
    public const string FailsAlone = "fails_alone";

    /// <summary>A downstream store refused the record as it is (e.g. Elasticsearch's 400 document_parsing_exception).</summary>
    public const string Rejected = "rejected";
}
