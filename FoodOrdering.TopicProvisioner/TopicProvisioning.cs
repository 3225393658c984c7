using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FoodOrdering.TopicProvisioner;

/// <summary>
/// Creates every topic of <paramref name="topics"/> that the brokers do not list yet, as
/// <see cref="TopicProvisioningOptions"/> says, retrying while the brokers start (a broker that answers metadata may
/// not take admin requests yet), and gives up after the timeout with an error that names the address it tried.
/// Topics already there are left as they are and need no right to create topics (a managed cluster's key may lack
/// it); fewer partitions than planned are reported, not changed (<see cref="TopicPlan.FewerPartitions"/>).
/// </summary>
internal sealed partial class TopicProvisioning(
    IReadOnlyList<string> topics, IOptions<TopicProvisioningOptions> options, Func<IAdminClient> createAdminClient, ILogger<TopicProvisioning> logger)
{
    private readonly TopicProvisioningOptions _options = options.Value;

    public async Task ProvisionAsync(CancellationToken cancellationToken)
    {
        var servers = _options.BootstrapServers;
        // Several attempts fit in the overall timeout, so brokers that start late still get asked again in time.
        var attemptTimeout = TimeSpan.FromTicks(Math.Clamp(_options.Timeout.Ticks / 6, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));
        var specifications = TopicPlan.Specifications(topics, _options);
        var requestOptions = new CreateTopicsOptions { RequestTimeout = attemptTimeout, OperationTimeout = attemptTimeout };
        using var admin = createAdminClient();
        Exception? lastError = null;
        List<TopicMetadata> existing = [];
        var pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(_options.Timeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<KafkaException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    lastError = args.Outcome.Exception;
                    LogRetrying(logger, servers, args.AttemptNumber + 1, Describe(lastError), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                // The metadata call blocks; waiting on it with the token lets the overall timeout end an attempt.
                existing = await Task.Run(() => admin.GetMetadata(attemptTimeout).Topics, CancellationToken.None).WaitAsync(token);
                var missing = TopicPlan.Missing(topics, existing);
                if (missing is [])
                {
                    LogInPlace(logger, servers);
                    return;
                }

                await CreateAsync(admin, [.. specifications.Where(s => missing.Contains(s.Name))], requestOptions, token);
            }, cancellationToken);
            ReportFewerPartitions(existing);
        }
        catch (TimeoutRejectedException e)
        {
            throw new InvalidOperationException(
                $"Could not create the Kafka topics {string.Join(", ", topics)} on {servers} within {_options.Timeout.TotalSeconds:0} s" +
                $": {(lastError is null ? "the brokers did not answer" : Describe(lastError))}." +
                " Check that the brokers are reachable at that address and advertise it, and that the client may create topics.", e);
        }
    }

    private async Task CreateAsync(IAdminClient admin, List<TopicSpecification> specifications, CreateTopicsOptions requestOptions, CancellationToken cancellationToken)
    {
        try
        {
            // The admin API takes no token; the wait does, so the overall timeout ends an attempt too.
            await admin.CreateTopicsAsync(specifications, requestOptions).WaitAsync(cancellationToken);
            LogCreated(logger, string.Join(", ", specifications.Select(s => s.Name)), _options.BootstrapServers,
                _options.Partitions, _options.ReplicationFactor, _options.MinInSyncReplicas, _options.Retention);
        }
        catch (CreateTopicsException e) when (TopicPlan.Failures(e.Results) is [])
        {
            // Made meanwhile by someone else (another run of this step, say).
            LogInPlace(logger, _options.BootstrapServers);
        }
    }

    private void ReportFewerPartitions(IEnumerable<TopicMetadata> existing)
    {
        foreach (var shortfall in TopicPlan.FewerPartitions(topics, existing, _options.Partitions))
        {
            LogFewerPartitions(logger, shortfall);
        }
    }

    private static string Describe(Exception? error) => error switch
    {
        CreateTopicsException topics => string.Join("; ", TopicPlan.Failures(topics.Results)),
        KafkaException kafka => kafka.Error.Reason,
        _ => error?.Message ?? "",
    };

    [LoggerMessage(EventId = 8500, Level = LogLevel.Information, Message = "Creating Kafka topics on {BootstrapServers} failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string? bootstrapServers, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "Kafka topics are in place on {BootstrapServers}")]
    private static partial void LogInPlace(ILogger logger, string? bootstrapServers);

    [LoggerMessage(EventId = 8502, Level = LogLevel.Information,
        Message = "Created topics {Topics} on {BootstrapServers}: {Partitions} partitions, replication factor {ReplicationFactor}, min.insync.replicas {MinInSyncReplicas}, retention {Retention}")]
    private static partial void LogCreated(ILogger logger, string topics, string? bootstrapServers, int partitions, short replicationFactor, int minInSyncReplicas, TimeSpan retention);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Warning, Message = "Topic {Shortfall}")]
    private static partial void LogFewerPartitions(ILogger logger, string shortfall);
}
