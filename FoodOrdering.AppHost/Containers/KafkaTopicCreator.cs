using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// Creates the topics with the configured partitions once the broker is up, retrying while it starts (a broker
/// that answers metadata may not take admin requests yet) and giving up after <paramref name="timeout"/> with an
/// error that names the address it tried. Topics that already exist (a kept volume, a second run) count as created.
/// </summary>
internal sealed class KafkaTopicCreator(TimeSpan timeout, ILogger logger)
{
    // Several attempts fit in the overall timeout, so a broker that starts late still gets asked again in time.
    private readonly TimeSpan _attemptTimeout = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 6, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    public async Task CreateAsync(string bootstrapServers, IReadOnlyList<string> topics, int partitions, CancellationToken cancellationToken)
    {
        using var admin = KafkaAdminClients.Create(bootstrapServers, logger);
        var specifications = topics.Select(topic => new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }).ToList();
        var options = new CreateTopicsOptions { RequestTimeout = _attemptTimeout, OperationTimeout = _attemptTimeout };
        KafkaException? lastError = null;
        var pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<KafkaException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    lastError = (KafkaException)args.Outcome.Exception!;
                    logger.LogInformation("Creating Kafka topics on {BootstrapServers} failed (attempt {Attempt}): {Reason}; retrying in {Delay}",
                        bootstrapServers, args.AttemptNumber + 1, Describe(lastError), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                try
                {
                    // The admin API takes no token; the wait does, so the overall timeout ends an attempt too.
                    await admin.CreateTopicsAsync(specifications, options).WaitAsync(token);
                    logger.LogInformation("Created topics {Topics} with {Partitions} partitions each on {BootstrapServers}",
                        string.Join(", ", topics), partitions, bootstrapServers);
                }
                catch (CreateTopicsException e) when (e.Results.All(result => result.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
                {
                    logger.LogInformation("Kafka topics are in place on {BootstrapServers} (some kept from an earlier run)", bootstrapServers);
                }
            }, cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            var error = new InvalidOperationException(
                $"Could not create the Kafka topics {string.Join(", ", topics)} on {bootstrapServers} within {timeout.TotalSeconds:0} s" +
                $": {(lastError is null ? "the broker did not answer" : Describe(lastError))}." +
                " Check that the broker is reachable at that address and advertises it (KAFKA_ADVERTISED_LISTENERS).", e);
            // The services waiting for Kafka fail with this error; the AppHost's own log says it once too.
            logger.LogError("{Error}", error.Message);
            throw error;
        }
    }

    private static string Describe(KafkaException error) => error is CreateTopicsException topics
        ? string.Join("; ", topics.Results.Where(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)).Select(r => $"{r.Topic}: {r.Error.Reason}"))
        : error.Error.Reason;
}
