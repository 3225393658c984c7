using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FoodOrdering.Contracts;
using FoodOrdering.Embedded;
using FoodOrdering.Tests.Support;
using static FoodOrdering.Tests.Support.OrderRequests;

namespace FoodOrdering.Tests.Integration;

/// <summary>What a client meant is never guessed: a body that could be read two ways is refused, naming the field.</summary>
public sealed class StrictJsonIntakeTests(StrictJsonIntakeTests.Api api) : IClassFixture<StrictJsonIntakeTests.Api>
{
    private const string Customer = """{"name":"Ada Lovelace","email":"ada@example.com"}""";
    private const string Address = "\"12 Analytical St\"";
    private const string OneLine = """[{"menuItemId":"cola","quantity":1}]""";

    public static TheoryData<string, string, string> AmbiguousOrders => new()
    {
        { $$"""{"customer":{{Customer}},"customer":{"name":"Eve","email":"eve@example.com"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer", "more than once" },
        { $$"""{"customer":{{Customer}},"Customer":{"name":"Eve","email":"eve@example.com"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "Customer", "more than once" },
        { $$"""{"customer":{"name":"Ada","email":"ada@example.com","EMAIL":"eve@example.com"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer.EMAIL", "more than once" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"deliveryaddress":"elsewhere","lines":{{OneLine}}}""", "deliveryaddress", "more than once" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":1,"quantity":20}]}""", "lines[0].quantity", "more than once" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":{{OneLine}},"lines":[]}""", "lines", "more than once" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":"5"}]}""", "lines[0].quantity", "Wrong type" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":"0x5"}]}""", "lines[0].quantity", "Wrong type" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":"NaN"}]}""", "lines[0].quantity", "Wrong type" },
    };

    [Theory]
    [MemberData(nameof(AmbiguousOrders))]
    public async Task AFieldGivenTwiceOrANumberSentAsAStringIsA400NamingTheField(string json, string field, string message)
    {
        var before = Received(api.Kafka).Count;

        using var response = await api.Producer.Client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        Assert.Contains(message, error.Value[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Received(api.Kafka).Count);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("UTF-16LE")]
    [InlineData("iso-8859-1")]
    [InlineData("\"utf-32\"")]
    [InlineData("us-ascii")]
    public async Task ABodyLabelledWithACharsetOtherThanUtf8IsA415NamingTheContentType(string charset)
    {
        var before = Received(api.Kafka).Count;
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidOrder));
        content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        using var response = await api.Producer.Client.PostAsync("/orders", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateObject());
        Assert.Equal("Content-Type", error.Name);
        Assert.Contains(charset.Trim('"'), error.Value[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Received(api.Kafka).Count);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task AUtf8BodyWithOrWithoutItsLabelIsTaken(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidOrder));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await api.Producer.Client.PostAsync("/orders", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AFieldNamedInAnotherCaseOnceIsStillThatField()
    {
        const string json = $$"""{"Customer":{{Customer}},"DELIVERYADDRESS":{{Address}},"lines":[{"MenuItemId":"cola","Quantity":3}]}""";

        using var response = await api.Producer.Client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public sealed class Api : IAsyncLifetime
    {
        internal EmbeddedKafkaCluster Kafka { get; } = EmbeddedKafkaCluster.Start(1, 1, Topics.All);

        internal ProducerApp Producer { get; private set; } = null!;

        public async Task InitializeAsync() => Producer = await ProducerApp.StartAsync(Kafka.BootstrapServers);

        public async Task DisposeAsync()
        {
            await Producer.DisposeAsync();
            Kafka.Dispose();
        }
    }
}
