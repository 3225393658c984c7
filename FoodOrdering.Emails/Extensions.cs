using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Telemetry;

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
        builder.Services.AddResiliencePipeline(OrderConfirmedHandler.SmtpRetries, (pipeline, context) =>
        {
            var metrics = context.ServiceProvider.GetRequiredService<EmailMetrics>();
            var logger = context.ServiceProvider.GetRequiredService<ILogger<OrderConfirmedHandler>>();
            // A pooled connection the server closed while idle fails its next send: a quick retry reconnects. A refusal
            // that lasts is the consumer's to wait out (OrderConfirmedHandler), so that it keeps polling meanwhile.
            pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<SmtpSendException>(e => e.Scope is SmtpFailureScope.Server),
                OnRetry = retry =>
                {
                    metrics.Retried();
                    logger.LogWarning("SMTP send failed ({Error}); attempt {Attempt} in {Delay}",
                        retry.Outcome.Exception?.Message, retry.AttemptNumber + 2, retry.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        });
        // A send still failing after its quick retries is the consumer's to wait out, which the handler logs as a
        // warning; Polly would call every such replay an error.
        builder.Services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = args =>
            args.Source.PipelineName == OrderConfirmedHandler.SmtpRetries && args.Event.Severity == ResilienceEventSeverity.Error
                ? ResilienceEventSeverity.Warning
                : args.Event.Severity);
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
            maxRetryDelay: sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.MaxRetryDelay);
    }
}
