using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Emails;

internal static class Extensions
{
    private const int EmailsInFlightPerConnection = 4;

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => SmtpConnection.Parse(
            builder.Configuration.GetConnectionString(ConnectionNames.Smtp),
            ConnectionNames.Smtp,
            sp.GetRequiredService<IOptions<EmailOptions>>().Value.AllowCredentialsWithoutTls));
        builder.Services.AddSingleton<EmailMetrics>();
        builder.Services.AddSingleton(sp => new SmtpEmailSender(
            sp.GetRequiredService<SmtpConnection>(),
            sp.GetRequiredService<EmailMetrics>(),
            sp.GetRequiredService<IOptions<EmailOptions>>().Value.SmtpConnections));
        builder.Services.AddSingleton<ConfirmationEmail>();
        builder.Services.AddSingleton<RecentlySentOrders>();
        builder.Services.AddSingleton<SmtpServerHealth>();
        builder.Services.AddHealthChecks().AddCheck<SmtpServerHealth>(ConnectionNames.Smtp);
        // An email holds its SMTP connection only while it is sent; it then waits for Kafka to acknowledge its
        // announcement (linger plus a round trip, longer than the send itself), while others use the connection.
        // Registered before the consumer, so the record of sent orders is read back before the first confirmation.
        builder.AddKeyedKafkaConsumer<string, byte[]>(RecentlySentOrdersRecovery.ConsumerName, settings =>
        {
            settings.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionNames.Kafka);
            settings.Config.EnableAutoCommit = false;
            settings.Config.EnablePartitionEof = true;
            settings.DisableHealthChecks = true;
            settings.DisableMetrics = true;
        });
        builder.Services.AddHostedService<RecentlySentOrdersRecovery>();
        builder.AddKafkaConsumerWorker<OrderConfirmed, OrderConfirmedHandler>(
            ConnectionNames.Kafka, ConsumerGroups.Emails, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed,
            maxConcurrency: sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.SmtpConnections * EmailsInFlightPerConnection,
            failures: (sp, policy) => EmailFailurePolicy.Configure(policy, sp.GetRequiredService<IOptions<EmailOptions>>().Value));
    }
}
