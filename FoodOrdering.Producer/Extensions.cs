using FoodOrdering.Kafka;

namespace FoodOrdering.Producer;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaProducer<string, byte[]>(ConnectionNames.Kafka);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OrderPublisher>();

        builder.Services.AddOptions<OrderGeneratorOptions>()
            .BindConfiguration(OrderGeneratorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderGenerator>();
        builder.Services.AddHostedService<OrderGeneratorWorker>();
    }
}
