using FoodOrdering.Kafka;

namespace FoodOrdering.Tests.Support.Transactional;

/// <summary>Builds <see cref="FakeTransactionalProducer"/>s on one log, and remembers them.</summary>
internal sealed class FakeTransactionalProducers(FakeTransactionLog log) : ITransactionalProducerFactory
{
    private readonly List<FakeTransactionalProducer> _built = [];

    public IReadOnlyList<FakeTransactionalProducer> Built
    {
        get
        {
            lock (_built)
            {
                return [.. _built];
            }
        }
    }

    public ITransactionalProducer Create(TimeSpan initTimeout, int worker = 0)
    {
        log.MaybeFail("Init");
        lock (_built)
        {
            var producer = new FakeTransactionalProducer(log, $"producer-{worker}-{_built.Count}");
            _built.Add(producer);
            return producer;
        }
    }
}
