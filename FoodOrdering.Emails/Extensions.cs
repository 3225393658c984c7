using FoodOrdering.Contracts;
using FoodOrdering.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace FoodOrdering.Emails;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(SmtpConnection.Parse(builder.Configuration.GetConnectionString(ConnectionNames.Smtp), ConnectionNames.Smtp));
        builder.Services.AddSingleton<EmailMetrics>();
        builder.Services.AddSingleton(sp => new SmtpEmailSender(
            sp.GetRequiredService<SmtpConnection>(),
            sp.GetRequiredService<EmailMetrics>(),
            sp.GetRequiredService<IOptions<EmailOptions>>().Value.SmtpConnections));
        builder.Services.AddSingleton<ConfirmationEmail>();
        builder.Services.AddSingleton<RecentlySentOrders>();
        builder.Services.AddResiliencePipeline(OrderConfirmedHandler.SmtpRetries, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<EmailOptions>>().Value;
            var metrics = context.ServiceProvider.GetRequiredService<EmailMetrics>();
            var logger = context.ServiceProvider.GetRequiredService<ILogger<OrderConfirmedHandler>>();
            // No attempt limit: while the server is unreachable the consumer waits here rather than skip an email.
            pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && !SmtpFailures.IsPermanent(e)),
                OnRetry = retry =>
                {
                    metrics.Retried();
                    logger.LogWarning("SMTP send failed ({Error}); attempt {Attempt} in {Delay}",
                        Pii.MaskEmailsIn(retry.Outcome.Exception?.Message), retry.AttemptNumber + 2, retry.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        });
        // One message in flight per SMTP connection.
        builder.AddKafkaConsumerWorker<OrderConfirmed, OrderConfirmedHandler>(
            ConnectionNames.Kafka, ConsumerGroups.Emails, Topics.OrdersConfirmed, ContractsJsonContext.Default.OrderConfirmed,
            maxConcurrency: sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.SmtpConnections);
    }
}
