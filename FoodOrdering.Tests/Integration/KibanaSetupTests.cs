using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FoodOrdering.AppHost.Containers;
using FoodOrdering.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FoodOrdering.Tests.Integration;

/// <summary>
/// The AppHost's Kibana setup and the Kibana password step's script against a scripted HTTP stand-in (not Kibana or Elasticsearch): answers that come too
/// late, error statuses and dropped connections are all tried again, and a cancelled run is not.
/// </summary>
public sealed class KibanaSetupTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    private readonly FakeLogger _logger = new();
    private readonly Queue<Func<HttpContext, Task>> _script = new();
    private readonly List<string> _requests = [];
    private readonly List<string> _bodies = [];
    private WebApplication _standIn = null!;

    private Uri Url => new UriBuilder(_standIn.Urls.First()) { UserName = "elastic", Password = "secret" }.Uri;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _standIn = builder.Build();
        _standIn.Run(async context =>
        {
            lock (_requests)
            {
                _requests.Add($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} {context.Request.Headers.Authorization}");
            }

            if (context.Request.Path.StartsWithSegments("/_security"))
            {
                using var body = new StreamReader(context.Request.Body);
                var text = await body.ReadToEndAsync();
                lock (_requests)
                {
                    _bodies.Add(text);
                }
            }

            await (_script.TryDequeue(out var answer) ? answer(context) : Answer(200, """{"success":true,"successCount":3}""")(context));
        });
        await _standIn.StartAsync();
    }

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    [Fact]
    public async Task AnImportThatGetsNoAnswerInTimeOrAnErrorStatusIsTriedAgainUntilKibanaTakesIt()
    {
        _script.Enqueue(NeverAnswer);
        _script.Enqueue(Answer(503, """{"statusCode":503,"message":"Kibana server is not ready yet"}"""));

        // A short client timeout, and attempts to spare for a busy machine's slow answers.
        await Setup(TimeSpan.FromSeconds(2), attempts: 6).ImportSavedObjectsAsync(Url, CancellationToken.None).WaitAsync(Timeout);

        // At least the two scripted failures and the import that succeeds; a busy machine's slow answers may time out
        // and use more of the attempts, but never more than the six there are.
        Assert.InRange(_requests.Count, 3, 6);
        Assert.All(_requests, request => Assert.StartsWith("POST /api/saved_objects/_import?overwrite=true Basic ", request));
        var warnings = _logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Contains("no answer within 2 s", warnings[0]);
        Assert.Contains(warnings, warning => warning.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.StartsWith("Kibana dashboard imported (3 saved objects)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePasswordStepSurvivesADroppedConnectionAndAnErrorAndSendsBothPasswordsIntact()
    {
        _script.Enqueue(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        _script.Enqueue(Answer(503, """{"error":"not ready"}"""));
        const string elasticPassword = "se\"cr et\\";
        const string systemPassword = "ki\"bana pw\\";

        var (exitCode, output) = await RunPasswordStepAsync(elasticPassword, systemPassword, attempts: 3);

        Assert.True(exitCode == 0, output);
        Assert.Equal(3, _requests.Count);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"elastic:{elasticPassword}"));
        Assert.All(_requests, request => Assert.StartsWith($"POST /_security/user/kibana_system/_password Basic {basic}", request));
        Assert.Equal(systemPassword, JsonDocument.Parse(_bodies[^1]).RootElement.GetProperty("password").GetString());
        Assert.Contains("HTTP 503", output);
    }

    [Fact]
    public async Task APasswordStepThatKeepsBeingRefusedExitsWithAnErrorAndElasticsearchsLastAnswerAfterItsAttempts()
    {
        for (var i = 0; i < 3; i++)
        {
            _script.Enqueue(Answer(401, """{"error":"unauthorized"}"""));
        }

        var (exitCode, output) = await RunPasswordStepAsync("wrong", "p", attempts: 3);

        Assert.Equal(1, exitCode);
        Assert.Equal(3, _requests.Count);
        Assert.Contains("""(attempt 3 of 3): HTTP 401 {"error":"unauthorized"}""", output);
    }

    [Fact]
    public async Task AStepThatKeepsFailingEndsWithTheLastAnswerAfterItsAttempts()
    {
        for (var i = 0; i < 3; i++)
        {
            _script.Enqueue(Answer(401, """{"error":"unauthorized"}"""));
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Setup().ImportSavedObjectsAsync(Url, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal("Importing the Kibana dashboard failed after 3 attempts: HTTP 401 {\"error\":\"unauthorized\"}", error.Message);
    }

    [Fact]
    public async Task AStoppingAppHostIsNotKeptWaitingByRetries()
    {
        _script.Enqueue(NeverAnswer);
        using var stopping = new CancellationTokenSource();
        var import = Setup().ImportSavedObjectsAsync(Url, stopping.Token);
        await Eventually.WaitUntilAsync(() => { lock (_requests) { return _requests.Count == 1; } }, Timeout, () => "the request never arrived");

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import.WaitAsync(Timeout));
        Assert.Single(_requests);
    }

    /// <summary>The step's script as its container runs it (bash and curl), against the stand-in.</summary>
    private async Task<(int ExitCode, string Output)> RunPasswordStepAsync(string elasticPassword, string systemPassword, int attempts)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(KibanaPasswordStep.Script);
        start.Environment[KibanaPasswordStep.ElasticsearchUrlVariable] = _standIn.Urls.First();
        start.Environment[KibanaPasswordStep.ElasticPasswordVariable] = elasticPassword;
        start.Environment[KibanaPasswordStep.SystemPasswordVariable] = systemPassword;
        start.Environment[KibanaPasswordStep.AttemptsVariable] = attempts.ToString(CultureInfo.InvariantCulture);
        start.Environment[KibanaPasswordStep.RetryDelayVariable] = "0";
        using var step = Process.Start(start)!;
        var output = step.StandardOutput.ReadToEndAsync();
        var errors = step.StandardError.ReadToEndAsync();
        await step.WaitForExitAsync().WaitAsync(Timeout);
        return (step.ExitCode, await output + await errors);
    }

    private KibanaSetup Setup(TimeSpan? timeout = null, int attempts = 3) =>
        new(new HttpClient { Timeout = timeout ?? Timeout }, _logger, attempts, retryDelay: TimeSpan.FromMilliseconds(50));

    private static Task NeverAnswer(HttpContext context) => Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted);

    private static Func<HttpContext, Task> Answer(int status, string json) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    };
}
