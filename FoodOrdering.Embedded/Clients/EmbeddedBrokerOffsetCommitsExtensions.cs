using FoodOrdering.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.Embedded.Clients;

public static class EmbeddedBrokerOffsetCommitsExtensions
{
    /// <summary>The switch the AppHost's Embedded mode sets for the transactional service (<see cref="EmbeddedBrokerOptions"/>).</summary>
    public const string CommitOffsetsAfterTransaction = $"{EmbeddedBrokerOptions.SectionName}:{nameof(EmbeddedBrokerOptions.CommitOffsetsAfterTransaction)}";

    /// <summary>
    /// When <see cref="CommitOffsetsAfterTransaction"/> is set: the consumers of the factory registered as
    /// <paramref name="consumerFactoryName"/> and the registered <see cref="ITransactionalProducerFactory"/>'s
    /// producers also commit each committed transaction's offsets through the consumer, since librdkafka's mock
    /// broker does not store offsets sent to a transaction. Call it after both are registered.
    /// </summary>
    public static void AddEmbeddedBrokerOffsetCommits(this IHostApplicationBuilder builder, string consumerFactoryName)
    {
        if (builder.Configuration.GetSection(EmbeddedBrokerOptions.SectionName).Get<EmbeddedBrokerOptions>() is not { CommitOffsetsAfterTransaction: true })
        {
            return;
        }

        Decorate<KafkaConsumerFactory<string, byte[]>>(builder.Services, consumerFactoryName, (sp, consumers) =>
            Decorated(consumers, sp.GetRequiredService<ILogger<DirectOffsetCommits>>()));
        Decorate<ITransactionalProducerFactory>(builder.Services, serviceKey: null, (_, producers) => new DirectlyCommittingProducerFactory(producers));
    }

    /// <summary>Each member of <paramref name="consumers"/> a <see cref="DirectlyCommittingConsumer"/>, its rebalance callbacks committing first.</summary>
    internal static KafkaConsumerFactory<string, byte[]> Decorated(KafkaConsumerFactory<string, byte[]> consumers, ILogger logger) =>
        consumers.Decorated((owner, build) =>
        {
            DirectOffsetCommits? commits = null;
            var consumer = build(builder => RebalanceHandlers.Configure(builder, owner, () => commits!));
            commits = new DirectOffsetCommits(consumer, logger);
            return new DirectlyCommittingConsumer(consumer, commits);
        });

    private static void Decorate<T>(IServiceCollection services, string? serviceKey, Func<IServiceProvider, T, T> decorate)
        where T : class
    {
        var registered = services.LastOrDefault(service => service.ServiceType == typeof(T) && Equals(service.ServiceKey, serviceKey))
            ?? throw new InvalidOperationException($"No {typeof(T).Name} is registered{(serviceKey is null ? "" : $" as {serviceKey}")} to commit offsets for.");
        var build = serviceKey is null
            ? registered.ImplementationFactory
            : registered.KeyedImplementationFactory is { } keyed ? sp => keyed(sp, serviceKey) : null;
        if (build is null)
        {
            throw new InvalidOperationException($"{typeof(T).Name} is not registered through a factory.");
        }

        services.Remove(registered);
        services.Add(serviceKey is null
            ? ServiceDescriptor.Singleton(sp => decorate(sp, (T)build(sp)))
            : ServiceDescriptor.KeyedSingleton<T>(serviceKey, (sp, _) => decorate(sp, (T)build(sp))));
    }
}
