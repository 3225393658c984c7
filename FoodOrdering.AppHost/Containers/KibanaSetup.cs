using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace FoodOrdering.AppHost.Containers;

/// <summary>
/// What Kibana needs from the AppHost: the <c>kibana_system</c> password set on Elasticsearch before Kibana starts,
/// and, once Kibana is healthy, the saved objects imported (overwriting, so every run may import them again).
/// </summary>
internal static class KibanaSetup
{
    private const int Attempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task SetSystemPasswordAsync(KibanaResource kibana, ILogger logger, CancellationToken cancellationToken)
    {
        var elasticsearch = new Uri((await kibana.Elasticsearch.ConnectionStringExpression.GetValueAsync(cancellationToken))!);
        var password = await kibana.SystemPassword.GetValueAsync(cancellationToken);
        await SendWithRetriesAsync(
            () => ElasticsearchRequests.Create(HttpMethod.Post, elasticsearch, $"/_security/user/{KibanaResource.SystemUserName}/_password",
                JsonContent.Create(new Dictionary<string, string?> { ["password"] = password })),
            $"setting the {KibanaResource.SystemUserName} password", logger, cancellationToken);
        logger.LogInformation("Elasticsearch user {User} is ready for Kibana", KibanaResource.SystemUserName);
    }

    public static async Task ImportSavedObjectsAsync(KibanaResource kibana, ILogger logger, CancellationToken cancellationToken)
    {
        // Kibana's APIs take the elastic superuser; only Kibana's own connection to Elasticsearch may not.
        var elasticPassword = await kibana.Elasticsearch.PasswordParameter.GetValueAsync(cancellationToken);
        var kibanaUrl = new UriBuilder(kibana.HttpEndpoint.Url)
        {
            UserName = ElasticsearchResource.UserName,
            Password = Uri.EscapeDataString(elasticPassword ?? ""),
        }.Uri;
        var ndjson = KibanaSavedObjects.ReadNdjson();

        var answer = await SendWithRetriesAsync(() =>
        {
            var file = new ByteArrayContent(ndjson);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
            var form = new MultipartFormDataContent { { file, "file", KibanaSavedObjects.FileName } };
            var request = ElasticsearchRequests.Create(HttpMethod.Post, kibanaUrl, "/api/saved_objects/_import?overwrite=true", form);
            request.Headers.Add("kbn-xsrf", "true");
            return request;
        }, "importing the Kibana dashboard", logger, cancellationToken);

        using var result = JsonDocument.Parse(answer);
        if (!result.RootElement.GetProperty("success").GetBoolean())
        {
            logger.LogError("Kibana refused some saved objects of {File}: {Answer}", KibanaSavedObjects.FileName, answer);
            return;
        }

        logger.LogInformation("Kibana dashboard imported ({Count} saved objects): {Url}",
            result.RootElement.GetProperty("successCount").GetInt32(), new Uri(kibana.HttpEndpoint.Url + KibanaSavedObjects.DashboardPath));
    }

    // Elasticsearch and Kibana report healthy a little before every API is ready, so a few refusals are expected.
    private static async Task<string> SendWithRetriesAsync(Func<HttpRequestMessage> createRequest, string what, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = createRequest();
                using var response = await Http.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                if (attempt == Attempts)
                {
                    throw new InvalidOperationException($"{what} failed: HTTP {(int)response.StatusCode} {body}");
                }

                logger.LogWarning("{What} answered HTTP {Status} (attempt {Attempt} of {Attempts}); trying again", what, (int)response.StatusCode, attempt, Attempts);
            }
            catch (HttpRequestException e) when (attempt < Attempts)
            {
                logger.LogWarning("{What} failed (attempt {Attempt} of {Attempts}): {Reason}; trying again", what, attempt, Attempts, e.Message);
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }
}
