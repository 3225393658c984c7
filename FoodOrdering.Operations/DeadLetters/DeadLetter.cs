using FoodOrdering.Operations.Log;

namespace FoodOrdering.Operations.DeadLetters;

/// <summary>
/// One record a consumer could not handle: on a dead-letter topic (with the reason and source in its headers) or on
/// <c>emails.failed</c>. <see cref="Error"/> is masked and cut; <see cref="RedriveCount"/> counts earlier re-drives
/// of the same record.
/// </summary>
internal sealed record DeadLetter(
    RecordCoordinates At,
    DateTimeOffset Timestamp,
    string? Key,
    string Reason,
    string SourceTopic,
    int? SourcePartition,
    long? SourceOffset,
    string? ConsumerGroup,
    string? ErrorType,
    string Error,
    int RedriveCount)
{
    public string Group { get; } = DeadLetterGroups.Id(Reason, SourceTopic, Error);
}
