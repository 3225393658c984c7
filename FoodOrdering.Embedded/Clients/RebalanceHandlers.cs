using Confluent.Kafka;

namespace FoodOrdering.Embedded.Clients;

/// <summary>
/// Puts <see cref="DirectOffsetCommits"/> into a consumer's rebalance callbacks ahead of the handlers its owner sets:
/// Confluent's builder takes each handler once, so the owner's configuration runs on this builder first, which keeps
/// the handlers, and both go on the real builder as one.
/// </summary>
internal sealed class RebalanceHandlers() : ConsumerBuilder<string, byte[]>([])
{
    public static void Configure(ConsumerBuilder<string, byte[]> builder, Action<ConsumerBuilder<string, byte[]>>? owner, Func<DirectOffsetCommits> commits)
    {
        var owners = new RebalanceHandlers();
        owner?.Invoke(owners);
        owners.ThrowIfMoreThanRebalanceHandlers();
        var revoked = owners.PartitionsRevokedHandler;
        var lost = owners.PartitionsLostHandler;
        builder
            .SetPartitionsRevokedHandler((client, partitions) =>
            {
                commits().Revoked(client, partitions);
                revoked?.Invoke(client, partitions);
            })
            .SetPartitionsLostHandler((client, partitions) =>
            {
                commits().Lost(partitions);
                lost?.Invoke(client, partitions);
            });
    }

    private void ThrowIfMoreThanRebalanceHandlers()
    {
        // Anything else the owner set would be lost here; a handler answering with offsets would be taken as an action.
        if (RevokedOrLostHandlerIsFunc || PartitionsAssignedHandler is not null || OffsetsCommittedHandler is not null
            || ErrorHandler is not null || LogHandler is not null || StatisticsHandler is not null)
        {
            throw new InvalidOperationException("The direct offset commits pass on only a consumer owner's revoked and lost handlers, set as actions.");
        }
    }
}
