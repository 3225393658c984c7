using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FoodOrdering.Kafka;

/// <summary>
/// Ready when the producer's latest publishes went through (or it published nothing lately) and the broker
/// answers it; not ready while its publishes fail, even with the broker answering metadata requests (a producer
/// refused by its topic's ACL, say, or one that failed fatally).
/// </summary>
internal sealed class KafkaProducerHealthCheck<TKey, TValue>(RebuildingProducer<TKey, TValue> producer) : IHealthCheck
{
    // Long enough to span a few publishes of a slow trickle of orders; short enough that an idle producer whose
    // last publish failed is tried again (by traffic that readiness lets back in) within half a minute.
    private static readonly TimeSpan Recent = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (producer.FatalError is { } fatal)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The producer failed fatally ({fatal.Code}: {fatal.Reason}); a new one is being built"));
        }

        if (producer.Deliveries.Failing(Recent) is { } failing)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Publishing fails since {failing.Since:O}: {failing.LastError.Code}: {failing.LastError.Reason}"));
        }

        return new KafkaHealthCheck(producer.Handle).CheckHealthAsync(context, cancellationToken);
    }
}
