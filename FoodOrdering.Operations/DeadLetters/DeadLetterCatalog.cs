using FoodOrdering.Operations.Log;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations.DeadLetters;

/// <summary>The dead letters as failure groups, with counts, first and last seen, and what is handled.</summary>
internal sealed class DeadLetterCatalog(DeadLetterIndex index, IOptions<OperationsOptions> options)
{
    public IReadOnlyList<DeadLetterGroupView> Groups() =>
        [.. Views().GroupBy(view => view.Group).Select(Summary).OrderByDescending(group => group.LastSeen)];

    public DeadLetterGroupDetail? Group(string id)
    {
        var views = Views().Where(view => view.Group == id).ToList();
        return views.Count == 0 ? null : new DeadLetterGroupDetail(Summary(views.GroupBy(v => v.Group).Single()), views);
    }

    public IReadOnlyList<DeadLetterView> Views() =>
        [.. index.All().Select(entry => View(entry.Letter, entry.Handled))];

    public DeadLetterView? View(RecordCoordinates at) =>
        index.Get(at) is { } letter ? View(letter, index.HandledAs(at)) : null;

    private DeadLetterView View(DeadLetter letter, DeadLetterIndex.Handled? handled) => new(
        letter.At.ToString(), letter.Group, letter.Key, letter.Timestamp, letter.Reason, letter.SourceTopic, letter.SourcePartition, letter.SourceOffset,
        letter.ConsumerGroup, letter.ErrorType, letter.Error, letter.RedriveCount, letter.RedriveCount >= options.Value.RedriveLimit,
        handled?.Outcome, handled?.At, handled?.Detail);

    private static DeadLetterGroupView Summary(IGrouping<string, DeadLetterView> group)
    {
        var first = group.First();
        return new DeadLetterGroupView(
            group.Key, first.Reason, first.SourceTopic, first.Record[..first.Record.IndexOf('/')], first.Error,
            group.Count(), group.Count(view => view.Handled is null), group.Count(view => view.Handled is null && view.OverLimit),
            group.Min(view => view.Timestamp), group.Max(view => view.Timestamp));
    }
}
