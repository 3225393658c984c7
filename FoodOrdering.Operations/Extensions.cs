using FoodOrdering.Kafka;
using FoodOrdering.Operations.Analytics;
using FoodOrdering.Operators;
using FoodOrdering.Problems;

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

        builder.Services.AddOperatorAccess();
        builder.Services.AddRateLimiter(limiter => limiter.AnswerWithProblem());
        // Every 4xx and 5xx answer is an RFC 7807 problem with the request's trace id.
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UsePagesAndOperatorAccess();
        app.MapAnalyticsApi();
        return app;
    }
}
