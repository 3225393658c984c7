using FoodOrdering.Kafka;

namespace FoodOrdering.Embedded.Clients;

/// <summary>Builds the producers of <paramref name="producers"/>, each a <see cref="DirectlyCommittingProducer"/>.</summary>
internal sealed class DirectlyCommittingProducerFactory(ITransactionalProducerFactory producers) : ITransactionalProducerFactory
{
    public ITransactionalProducer Create(TimeSpan initTimeout, int worker = 0) => new DirectlyCommittingProducer(producers.Create(initTimeout, worker));
}
