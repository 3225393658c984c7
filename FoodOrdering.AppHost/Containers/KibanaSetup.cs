using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// What Kibana needs from the AppHost in a run once it is healthy: the saved objects imported (overwriting, so every
/// run may import them again). Kibana reports healthy a little before every API is ready, so refusals, resets, error statuses
/// and requests that time out are all tried again, up to <paramref name="attempts"/> times.
/// </summary>
internal sealed partial class KibanaSetup(HttpClient http, ILogger logger, int attempts, TimeSpan retryDelay)
{
    private static readonly ResiliencePropertyKey<string> Step = new("step");

    private readonly ResiliencePipeline<HttpResponseMessage> _retries = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = attempts - 1,
            Delay = retryDelay,
            BackoffType = DelayBackoffType.Constant,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException } => true,
                // HttpClient's own timeout; a cancelled run is not retried.
                { Exception: TaskCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                { Result.IsSuccessStatusCode: false } => true,
                _ => false,
            }),
            OnRetry = args =>
            {
                var reason = args.Outcome.Exception is { } e
                    ? e is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:0} s" : e.Message
                    : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                LogRetrying(logger, args.Context.Properties.GetValue(Step, "A Kibana setup step"), args.AttemptNumber + 1, attempts, reason, args.RetryDelay);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    public static KibanaSetup Create(ILogger logger) =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, logger, attempts: 10, retryDelay: TimeSpan.FromSeconds(3));

    /// <param name="kibana">Kibana's URL with the <c>elastic</c> user's credentials: its APIs take the superuser.</param>
    public async Task ImportSavedObjectsAsync(Uri kibana, CancellationToken cancellationToken)
    {
        var ndjson = KibanaSavedObjects.ReadNdjson();
        var answer = await SendAsync(() =>
        {
            var file = new ByteArrayContent(ndjson);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
            var form = new MultipartFormDataContent { { file, "file", KibanaSavedObjects.FileName } };
            var request = ElasticsearchRequests.Create(HttpMethod.Post, kibana, "/api/saved_objects/_import?overwrite=true", form);
            request.Headers.Add("kbn-xsrf", "true");
            return request;
        }, "Importing the Kibana dashboard", cancellationToken);

        using var result = JsonDocument.Parse(answer);
        if (!result.RootElement.GetProperty("success").GetBoolean())
        {
            LogRefused(logger, KibanaSavedObjects.FileName, answer);
            return;
        }

        LogImported(logger, result.RootElement.GetProperty("successCount").GetInt32(),
            new Uri(new UriBuilder(kibana) { UserName = "", Password = "" }.Uri, KibanaSavedObjects.DashboardPath));
    }

    private async Task<string> SendAsync(Func<HttpRequestMessage> createRequest, string step, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Step, step);
        try
        {
            using var response = await _retries.ExecuteAsync(async context =>
            {
                using var request = createRequest();
                return await http.SendAsync(request, context.CancellationToken);
            }, context);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? body
                : throw new InvalidOperationException($"{step} failed after {attempts} attempts: HTTP {(int)response.StatusCode} {body}");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "{Step} failed (attempt {Attempt} of {Attempts}): {Reason}; trying again in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string step, int attempt, int attempts, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Kibana refused some saved objects of {File}: {Answer}")]
    private static partial void LogRefused(ILogger logger, string file, string answer);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Kibana dashboard imported ({Count} saved objects): {Url}")]
    private static partial void LogImported(ILogger logger, int count, Uri url);
}
