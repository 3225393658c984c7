using FoodOrdering.Kafka;
using FoodOrdering.Producer.Apis;
using FoodOrdering.Producer.Generator;
using FoodOrdering.Operators;
using FoodOrdering.Producer.Orders;
using FoodOrdering.Problems;
using FoodOrdering.Producer.Tracking;
using Scalar.AspNetCore;
using StackExchange.Redis;

namespace FoodOrdering.Producer;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaProducer<string, byte[]>(ConnectionNames.Kafka);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OrderPublisher>();

        builder.Services.AddOptions<OrderApiOptions>()
            .BindConfiguration(OrderApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // With Redis, every replica shares the keys, so a retry may reach any of them.
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString(ConnectionNames.Redis)))
        {
            // Without a connection a claim fails at once (503, nothing published) instead of queueing until a timeout.
            builder.AddRedisClient(ConnectionNames.Redis, configureOptions: redis => redis.BacklogPolicy = BacklogPolicy.FailFast);
            builder.Services.AddSingleton<IIdempotencyKeys, RedisIdempotencyKeys>();
        }
        else
        {
            builder.Services.AddSingleton<IIdempotencyKeys, InMemoryIdempotencyKeys>();
        }

        builder.Services.AddSingleton<OrderIntake>();
        builder.Services.AddOrderRateLimiting();
        builder.Services.AddOperatorAccess();
        // Every 4xx and 5xx answer is an RFC 7807 problem with the request's trace id.
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, OrderApiJsonContext.Default));

        builder.Services.AddOptions<MenuPricingOptions>()
            .BindConfiguration(MenuPricingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OrderTrackingOptions>()
            .BindConfiguration(OrderTrackingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderTrackingBoard>();
        // Every instance reads every outcome itself (assigned, in no group, committing nothing): see OrderTrackingWorker.
        builder.AddKeyedKafkaConsumer<string, byte[]>(OrderTrackingWorker.ConsumerName, settings =>
        {
            settings.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionNames.Kafka);
            settings.Config.GroupId = $"{OrderTrackingWorker.ConsumerName}-{Guid.NewGuid():N}";
            settings.Config.EnableAutoCommit = false;
            settings.DisableHealthChecks = true;
            settings.DisableMetrics = true;
        });
        builder.Services.AddHostedService<OrderTrackingWorker>();

        builder.Services.AddOptions<OrderGeneratorOptions>()
            .BindConfiguration(OrderGeneratorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderGenerator>();
        builder.Services.AddSingleton<OrderGeneratorControl>();
        builder.Services.AddSingleton<GeneratedOrderPublisher>();
        builder.Services.AddHostedService<OrderGeneratorWorker>();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UsePagesAndOperatorAccess();
        app.MapOrdersApi();
        app.MapGeneratorApi();

        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }

        return app;
    }
}
