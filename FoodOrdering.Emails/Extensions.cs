using FoodOrdering.Contracts;
using FoodOrdering.Kafka;

namespace FoodOrdering.Emails;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(SmtpConnection.Parse(builder.Configuration.GetConnectionString(ConnectionNames.Smtp), ConnectionNames.Smtp));
        builder.Services.AddSingleton<SmtpEmailSender>();
        builder.Services.AddSingleton<ConfirmationEmail>();
        builder.AddKafkaConsumerWorker<OrderConfirmed, OrderConfirmedHandler>(
            ConnectionNames.Kafka, ConsumerGroups.Emails, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed);
    }
}
