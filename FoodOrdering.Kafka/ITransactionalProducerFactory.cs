namespace FoodOrdering.Kafka;

/// <summary>Builds transactional producers: a fenced or fatally failed one cannot be used again, so its owner builds another.</summary>
public interface ITransactionalProducerFactory
{
    /// <summary>A producer with its transactions initialized, ready for <c>BeginTransaction</c>.</summary>
    /// <param name="initTimeout">Bound on initializing its transactions.</param>
    /// <param name="worker">The worker of the service it is for, named in its ids so logs and the broker tell workers apart.</param>
    ITransactionalProducer Create(TimeSpan initTimeout, int worker = 0);
}
