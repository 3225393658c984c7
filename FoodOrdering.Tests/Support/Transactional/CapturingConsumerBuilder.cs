using Confluent.Kafka;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>
/// Takes the rebalance handlers a worker sets on its consumer builder and hands them to a
/// <see cref="FakeOrdersConsumer"/> instead of building a client.
/// </summary>
internal sealed class CapturingConsumerBuilder() : ConsumerBuilder<string, byte[]>([])
{
    public void HandOver(FakeOrdersConsumer consumer)
    {
        var revoked = PartitionsRevokedHandler;
        consumer.HandleRevocationsWith(revoked is null ? null : (client, partitions) => revoked(client, partitions));
    }
}
