using Microsoft.Extensions.Hosting;

namespace FoodOrdering.Kafka;

/// <summary>Runs one <see cref="KafkaConsumeLoop"/> for the lifetime of the host.</summary>
internal sealed class KafkaConsumeLoopWorker(KafkaConsumeLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}
