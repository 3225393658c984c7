using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FoodOrdering.Kafka;

/// <summary>
/// One <c>messaging.kafka.consumer.lag</c> gauge per service, on the service's meter, reporting every consumer
/// group the service runs (tagged by group, topic and partition): an instrument name may exist only once per meter.
/// </summary>
internal sealed class KafkaConsumerLagGauge
{
    private readonly ConcurrentBag<KafkaConsumerMonitor> _monitors = [];

    public KafkaConsumerLagGauge(IMeterFactory meterFactory, string meterName) =>
        meterFactory.Create(meterName).CreateObservableGauge(
            "messaging.kafka.consumer.lag",
            () => _monitors.SelectMany(monitor => monitor.ObserveLag()),
            "{message}",
            "Messages on a partition not yet processed by the consumer group");

    public void Add(KafkaConsumerMonitor monitor) => _monitors.Add(monitor);
}
