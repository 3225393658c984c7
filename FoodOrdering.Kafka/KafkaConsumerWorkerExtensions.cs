using System.Text.Json.Serialization.Metadata;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace FoodOrdering.Kafka;

public static class KafkaConsumerWorkerExtensions
{
    private const string HandlerRetries = "kafka-message-handler";

    /// <summary>
    /// Runs <typeparamref name="THandler"/> for every message on <paramref name="topic"/>, in its own consumer
    /// group, with the shared producer for dead letters; up to <paramref name="maxConcurrency"/> messages at once
    /// (default one), messages with the same key always one after another. While the handler throws
    /// <see cref="DownstreamUnavailableException"/>, the batch is replayed with a backoff that grows up to
    /// <paramref name="maxRetryDelay"/> (default <see cref="KafkaConsumeLoopOptions.MaxRetryDelay"/>).
    /// </summary>
    public static void AddKafkaConsumerWorker<TMessage, THandler>(
        this IHostApplicationBuilder builder,
        string connectionName,
        string groupId,
        string topic,
        JsonTypeInfo<TMessage> typeInfo,
        Func<IServiceProvider, int>? maxConcurrency = null,
        Func<IServiceProvider, TimeSpan>? maxRetryDelay = null)
        where THandler : class, IMessageHandler<TMessage>
    {
        builder.AddKeyedKafkaConsumer<string, byte[]>(groupId, settings => settings.ConnectionString ??= builder.Configuration.GetConnectionString(connectionName));
        if (!builder.Services.Any(service => service.ServiceType == typeof(IProducer<string, byte[]>) && !service.IsKeyedService))
        {
            builder.AddKafkaProducer<string, byte[]>(connectionName);
        }

        if (!builder.Services.Any(service => service.ServiceType == typeof(HandlerRetriesMarker)))
        {
            builder.Services.AddSingleton<HandlerRetriesMarker>();
            // A few quick retries ride out a blip; a message that still fails is dead-lettered with the reason.
            builder.Services.AddResiliencePipeline(HandlerRetries, pipeline => pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (OperationCanceledException or DownstreamUnavailableException)),
            }));
        }

        builder.AddConsumptionControl(connectionName, groupId);
        builder.Services.AddSingleton<THandler>();
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            var concurrency = maxConcurrency?.Invoke(sp) ?? 1;
            var logger = sp.GetRequiredService<ILogger<KafkaConsumeLoop>>();
            var delivery = new MessageHandlerDelivery<TMessage>(
                groupId,
                typeInfo,
                concurrency,
                sp.GetRequiredService<THandler>(),
                sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(HandlerRetries),
                sp.GetRequiredService<IProducer<string, byte[]>>(),
                DeadLetters.For(sp, groupId),
                logger);
            // A few messages per connection keep every one busy; committing after each batch leaves a crash to repeat
            // only the last batches before it (docs/guarantees.md has the figures).
            var options = new KafkaConsumeLoopOptions(topic, groupId, OffsetCommit.StoreAndCommit) { MaxBatchSize = concurrency * 4, Switch = new ConsumptionSwitch(groupId, sp.GetRequiredService<ConsumptionStates>()) };
            if (maxRetryDelay is not null)
            {
                options = options with { MaxRetryDelay = maxRetryDelay(sp) };
            }

            return new KafkaConsumeLoopWorker(new KafkaConsumeLoop(
                sp.GetRequiredKeyedService<IConsumer<string, byte[]>>(groupId),
                sp.GetRequiredKeyedService<KafkaConsumerMonitor>(groupId),
                delivery,
                options,
                logger));
        });
    }

    private sealed class HandlerRetriesMarker;
}
