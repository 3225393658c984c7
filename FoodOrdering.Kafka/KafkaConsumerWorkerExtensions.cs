using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Kafka;

public static class KafkaConsumerWorkerExtensions
{
    /// <summary>
    /// Runs <typeparamref name="THandler"/> for every message on <paramref name="topic"/>, in its own consumer
    /// group, with the shared producer for dead letters; up to <paramref name="maxConcurrency"/> messages at once
    /// (default one), messages with the same key always one after another. What each failure of the handler gets is
    /// said in one place, <paramref name="failures"/>: the consumer's own rules, then the ones every handler shares
    /// (<see cref="MessageFailurePolicy"/>: <see cref="DownstreamUnavailableException"/> and Kafka's errors replayed,
    /// anything else retried four times in place, then dead-lettered).
    /// </summary>
    public static void AddKafkaConsumerWorker<TMessage, THandler>(
        this IHostApplicationBuilder builder,
        string connectionName,
        string groupId,
        string topic,
        JsonTypeInfo<TMessage> typeInfo,
        Func<IServiceProvider, int>? maxConcurrency = null,
        Func<IServiceProvider, FailurePolicy<Exception>, FailurePolicy<Exception>>? failures = null)
        where THandler : class, IMessageHandler<TMessage>
    {
        builder.AddKeyedKafkaConsumer<string, byte[]>(groupId, settings => settings.ConnectionString ??= builder.Configuration.GetConnectionString(connectionName));
        if (!builder.Services.Any(service => service.ServiceType == typeof(IProducer<string, byte[]>) && !service.IsKeyedService))
        {
            builder.AddKafkaProducer<string, byte[]>(connectionName);
        }

        builder.AddConsumptionControl(connectionName, groupId);
        builder.Services.AddSingleton<THandler>();
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            var concurrency = maxConcurrency?.Invoke(sp) ?? 1;
            var logger = sp.GetRequiredService<ILogger<KafkaConsumeLoop>>();
            var policy = MessageFailurePolicy.Complete(failures?.Invoke(sp, new FailurePolicy<Exception>()) ?? new FailurePolicy<Exception>());
            var delivery = new MessageHandlerDelivery<TMessage>(
                groupId,
                typeInfo,
                concurrency,
                sp.GetRequiredService<THandler>(),
                policy,
                sp.GetRequiredService<IProducer<string, byte[]>>(),
                DeadLetters.For(sp, groupId),
                logger);
            // A few messages per connection keep every one busy; committing after each batch leaves a crash to repeat
            // only the last batches before it (docs/guarantees.md has the figures).
            var options = policy.Replaying(new KafkaConsumeLoopOptions(topic, groupId, OffsetCommit.StoreAndCommit)
            {
                MaxBatchSize = concurrency * 4,
                Switch = new ConsumptionSwitch(groupId, sp.GetRequiredService<ConsumptionStates>()),
            });
            return new KafkaConsumeLoopWorker(new KafkaConsumeLoop(
                sp.GetRequiredKeyedService<IConsumer<string, byte[]>>(groupId),
                sp.GetRequiredKeyedService<KafkaConsumerMonitor>(groupId),
                delivery,
                options,
                logger));
        });
    }
}
