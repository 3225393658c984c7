using FoodOrdering.AppHost.Containers;
using Microsoft.Extensions.Configuration;

namespace FoodOrdering.AppHost;

/// <summary>Where the Producer replicas keep their <c>Idempotency-Key</c>s: Redis, or one Producer's memory.</summary>
internal static class IdempotencyKeyStoreExtensions
{
    private const string Producer = "Producer";

    /// <summary>
    /// Redis in a container in Containers mode; otherwise the <c>redis</c> connection string when one is given to
    /// the AppHost (always a parameter, when published), or none (null): then each Producer keeps its keys in memory.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddIdempotencyKeyStore(
        this IDistributedApplicationBuilder builder, string name, InfrastructureMode mode) => mode switch
        {
            InfrastructureMode.Containers => builder.AddRedis(name)
                .WithImage(ContainerImageTags.RedisImage, ContainerImageTags.RedisTag)
                .WithImageRegistry(ContainerImageTags.Registry)
                .WithoutDevelopmentCertificate(),
            // A deployment may scale the Producer out, so a published External mode always asks for Redis.
            _ when !builder.ExecutionContext.IsPublishMode && string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)) => null,
            _ => builder.AddConnectionString(name),
        };

    /// <summary>
    /// Runs <c>--Producer:Replicas N</c> copies (default 1) behind Aspire's proxy on the Producer's one endpoint.
    /// A retry may reach any copy, so more than one needs the keys in Redis: without it the AppHost refuses to start
    /// rather than let two replicas each place an order for one key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithIdempotencyKeys(
        this IResourceBuilder<ProjectResource> producer, IResourceBuilder<IResourceWithConnectionString>? redis)
    {
        var replicas = producer.ApplicationBuilder.ConfiguredReplicas(Producer);
        if (replicas > 1 && redis is null)
        {
            throw new InvalidOperationException(
                $"--{ReplicaExtensions.ReplicasKey(Producer)} {replicas} needs Redis, where the replicas share their Idempotency-Keys. " +
                $"Start one (redis-server) and pass --ConnectionStrings:{ConnectionNames.Redis} localhost:6379, or use --Infrastructure Containers, which starts Redis.");
        }

        producer.WithReplicas(replicas);
        if (redis is null)
        {
            return producer;
        }

        producer.WithReference(redis);
        // A container is waited for; a given connection string is not (the Producer refuses keyed orders with 503
        // while it cannot reach Redis).
        return redis.Resource is RedisResource ? producer.WaitFor(redis) : producer;
    }
}
