using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Options;

namespace FoodOrdering.Transactions.Indexing;

/// <summary>
/// The index and its template with explicit mappings (<c>analytics-index-template.json</c>, embedded), put once per
/// start (putting it is idempotent; a changed mapping applies to indices created after it). No document is sent
/// before Elasticsearch answered the PUT, because an index auto-created before its template keeps dynamic mappings
/// for good. A refusal (403 without <c>manage_index_templates</c>, a template the cluster does not take) holds
/// nothing up: documents go into whatever template or index the cluster has, the indexer reports Degraded and puts
/// the template again every <see cref="IndexerOptions.TemplateRetryInterval"/>. With
/// <see cref="IndexerOptions.ManageIndexTemplate"/> off, it is never put.
/// </summary>
internal sealed partial class AnalyticsIndexTemplate(
    ElasticsearchClient client,
    IOptions<IndexerOptions> options,
    IndexerStatus status,
    IndexerMetrics metrics,
    TimeProvider time,
    ILogger<AnalyticsIndexer> logger) : IDisposable
{
    public const string IndexName = "foodordering-analytics";
    public const string TemplateName = "foodordering-analytics";

    // Relative, so that it resolves below an endpoint's path prefix (http://host/es/ → /es/_index_template/…).
    private const string TemplatePath = $"_index_template/{TemplateName}";

    private readonly SemaphoreSlim _putting = new(1, 1);
    private volatile TemplateState _state = options.Value.ManageIndexTemplate ? TemplateState.Unanswered : TemplateState.NotManaged;

    private enum TemplateState
    {
        /// <summary>Not put yet, and Elasticsearch did not answer: documents wait.</summary>
        Unanswered,
        InPlace,
        /// <summary>Elasticsearch refused it: documents go on, the PUT is tried again later.</summary>
        Refused,
        NotManaged,
    }

    public static string Json { get; } = ReadTemplate();

    public bool IsManaged => options.Value.ManageIndexTemplate;

    /// <summary>Before documents are sent: puts the template if Elasticsearch has not answered yet; true when documents may go.</summary>
    public async Task<bool> EnsureAnsweredAsync(CancellationToken cancellationToken)
    {
        if (_state == TemplateState.Unanswered)
        {
            await PutAsync(cancellationToken);
        }

        return _state != TemplateState.Unanswered;
    }

    /// <summary>
    /// Puts the template from the start, in the background: with backoff until Elasticsearch answers, then every
    /// <see cref="IndexerOptions.TemplateRetryInterval"/> while it refuses. Returns once it is in place, or on cancellation.
    /// </summary>
    public async Task KeepPuttingAsync(CancellationToken cancellationToken)
    {
        var backoff = options.Value.FirstRetryDelay;
        try
        {
            while (_state is TemplateState.Unanswered or TemplateState.Refused)
            {
                await PutAsync(cancellationToken);
                var wait = _state switch
                {
                    TemplateState.Unanswered => backoff,
                    TemplateState.Refused => options.Value.TemplateRetryInterval,
                    _ => TimeSpan.Zero,
                };
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _putting.Dispose();

    private async Task PutAsync(CancellationToken cancellationToken)
    {
        await _putting.WaitAsync(cancellationToken);
        try
        {
            // The other caller may have put it while this one waited.
            if (_state is TemplateState.Unanswered or TemplateState.Refused)
            {
                Answered(await SendAsync(cancellationToken));
            }
        }
        finally
        {
            _putting.Release();
        }
    }

    private async Task<ElasticsearchFailure?> SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.Transport.PutAsync<StringResponse>(TemplatePath, PostData.String(Json), cancellationToken);
            return response.ApiCallDetails.HasSuccessfulStatusCode ? null : ElasticsearchFailure.OfRequest(response.ApiCallDetails);
        }
        catch (TransportException e)
        {
            return ElasticsearchFailure.Unreachable(e);
        }
    }

    private void Answered(ElasticsearchFailure? failure)
    {
        if (failure is null)
        {
            _state = TemplateState.InPlace;
            status.SetTemplateProblem(null);
            LogInPlace(logger, TemplateName);
            return;
        }

        metrics.Retried();
        if (failure.Kind is ElasticsearchFailureKind.Unreachable or ElasticsearchFailureKind.Unavailable or ElasticsearchFailureKind.Blocked)
        {
            if (_state == TemplateState.Unanswered)
            {
                status.SetTemplateProblem($"retrying putting the index template {TemplateName}, no document is sent before it is answered: {failure}");
                LogUnanswered(logger, TemplateName, failure.Describe());
            }

            // Already refused: documents flow regardless, and the next try comes at the usual interval.
            return;
        }

        _state = TemplateState.Refused;
        var interval = options.Value.TemplateRetryInterval;
        status.SetTemplateProblem($"index template {TemplateName} not put, documents go into whatever template or index the cluster has " +
                                  $"(tried again every {interval}; set Indexer:ManageIndexTemplate=false if it is put elsewhere): {failure}");
        LogRefused(logger, TemplateName, failure.Describe(), interval);
    }

    private static string ReadTemplate()
    {
        using var stream = typeof(AnalyticsIndexTemplate).Assembly.GetManifestResourceStream("FoodOrdering.Transactions.Indexing.analytics-index-template.json")
            ?? throw new InvalidOperationException("The embedded index template is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(EventId = 2320, Level = LogLevel.Information, Message = "Index template {Template} is in place")]
    private static partial void LogInPlace(ILogger logger, string template);

    [LoggerMessage(EventId = 2321, Level = LogLevel.Warning, Message = "Putting index template {Template} failed: {Reason}; retrying, and no document is sent before Elasticsearch answers it")]
    private static partial void LogUnanswered(ILogger logger, string template, string reason);

    [LoggerMessage(EventId = 2322, Level = LogLevel.Warning, Message = "Elasticsearch refused index template {Template}: {Reason}. Indexing goes on into whatever template or index the cluster has; the template is put again in {Interval} (Indexer:ManageIndexTemplate=false if it is put elsewhere)")]
    private static partial void LogRefused(ILogger logger, string template, string reason, TimeSpan interval);
}
