using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>The examples of docs/services.md, sent as written to the running services and compared with what they document.</summary>
public sealed partial class DocumentedExamplesTests
{
    private static readonly TimeSpan Timeout = TestTimeouts.PipelineStep;

    [Fact]
    public async Task TheDocumentedOrderIsPricedAsTheDocumentedAnswerSays()
    {
        var doc = ServicesPage();
        var order = DocumentedBodies().Select(body => JsonDocument.Parse(body).RootElement).First(body => body.GetProperty("customer").GetProperty("name").GetString() is { Length: > 0 });
        var documented = PriceFigures().Match(doc);
        await using var pipeline = await InProcessPipeline.StartInfrastructureAsync();
        await pipeline.StartTransactionsAsync();
        await using var producer = await ProducerApp.StartAsync(pipeline.Kafka.BootstrapServers);

        using var placed = await producer.Client.PostAsync("/orders", new StringContent(order.GetRawText(), Encoding.UTF8, "application/json"));
        var orderId = (await placed.Content.ReadFromJsonAsync(ContractsJsonContext.Default.OrderPlaced))!.OrderId;
        var answer = "";
        await Eventually.WaitUntilAsync(() =>
        {
            answer = producer.Client.GetStringAsync($"/orders/{orderId}").GetAwaiter().GetResult();
            return answer.Contains("\"status\":\"confirmed\"", StringComparison.Ordinal);
        }, Timeout, () => $"the order is not confirmed: {answer}");

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.True(documented.Success, "docs/services.md shows no price of the documented order");
        Assert.Equal(documented.Value, PriceFigures().Match(answer).Value);
        Assert.Contains("\"unitPrice\":11.50,\"lineTotal\":23.00", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDocumentedInvalidOrderGetsTheDocumentedErrors()
    {
        var doc = ServicesPage();
        var invalid = DocumentedBodies().First(body => body.Contains("\"name\":\"\"", StringComparison.Ordinal));
        var documented = JsonDocument.Parse(string.Concat(ValidationAnswer().Match(doc).Groups[1].Captures.Select(line => line.Value))).RootElement;
        using var kafka = Embedded.EmbeddedKafkaCluster.Start(1, 1, Topics.All);
        await using var producer = await ProducerApp.StartAsync(kafka.BootstrapServers);

        using var response = await producer.Client.PostAsync("/orders", new StringContent(invalid, Encoding.UTF8, "application/json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(documented.GetProperty("title").GetString(), problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(documented.GetProperty("errors").GetRawText(), problem.RootElement.GetProperty("errors").GetRawText());
    }

    private static string ServicesPage()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
            {
                return File.ReadAllText(Path.Combine(directory.FullName, "docs", "services.md"));
            }
        }

        throw new DirectoryNotFoundException("FoodOrdering.sln was not found above the test binaries.");
    }

    private static IEnumerable<string> DocumentedBodies() => CurlBody().Matches(ServicesPage()).Select(match => match.Groups[1].Value);

    [GeneratedRegex(@"-d '(\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex CurlBody();

    [GeneratedRegex(@"""subtotal"":[\d.]+,""deliveryFee"":[\d.]+,""tax"":[\d.]+,""total"":[\d.]+")]
    private static partial Regex PriceFigures();

    // The answer as the page prints it: comment lines after the request, from the problem's first brace on.
    [GeneratedRegex(@"(?:^# ?(?<1>\{""title"":""One or more validation.*)$\n)(?:^#\s+(?<1>.*)$\n?)+", RegexOptions.Multiline)]
    private static partial Regex ValidationAnswer();
}
