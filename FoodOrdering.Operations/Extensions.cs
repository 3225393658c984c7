using FoodOrdering.Kafka;
using FoodOrdering.Operations.Analytics;
using FoodOrdering.Operations.Audit;
using FoodOrdering.Operations.Groups;
using FoodOrdering.Operations.DeadLetters;
using FoodOrdering.Operations.Log;
using FoodOrdering.Operations.Orders;
using FoodOrdering.Operations.Records;
using FoodOrdering.Operations.Catalog;
using FoodOrdering.Operators;
using FoodOrdering.Problems;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Operations;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperationsOptions>()
            .BindConfiguration(OperationsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKafkaProducer<string, byte[]>(ConnectionNames.Kafka);
        builder.Services.AddSingleton(ConsoleKafka.From(builder));
        builder.AddLiveAnalytics();

        builder.Services.AddSingleton(services => new OrderIndex(services.GetRequiredService<IOptions<OperationsOptions>>().Value.OrderIndexCapacity));
        builder.Services.AddSingleton<DeadLetterIndex>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<TopicTail>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TopicTail>());
        builder.Services.AddSingleton<TopicCatalog>();
        builder.Services.AddSingleton<RecordBrowser>();
        builder.Services.AddSingleton<OrderTrail>();
        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddSingleton<ConsumerGroupReader>();
        builder.Services.AddSingleton<GroupLagHistory>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GroupLagHistory>());
        builder.Services.AddSingleton<OffsetReset>();
        builder.AddConsumptionControl(ConnectionNames.Kafka);
        builder.Services.AddSingleton<DeadLetterCatalog>();
        builder.Services.AddSingleton<DeadLetterActions>();

        builder.Services.AddOperatorAccess();
        builder.Services.AddRateLimiter(limiter => limiter.AnswerWithProblem());
        // Every 4xx and 5xx answer is an RFC 7807 problem with the request's trace id.
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UsePagesAndOperatorAccess();
        app.MapGroup("/api")
            .RequireOperator()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .MapTopicsApi()
            .MapConsumerGroupsApi()
            .MapDeadLettersApi()
            .MapAuditApi()
            .MapAnalyticsApi();
        return app;
    }
}
