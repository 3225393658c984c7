using System.Net;
using System.Text;
using System.Text.Json;
using FoodOrdering.Embedded;
using FoodOrdering.Contracts;
using FoodOrdering.Tests.Support;

namespace FoodOrdering.Tests.Integration;

/// <summary>Every validation rule of <c>POST /orders</c>: a 400 ValidationProblem that names the field.</summary>
public sealed class OrderValidationTests(OrderValidationTests.Api api) : IClassFixture<OrderValidationTests.Api>
{
    private const string Customer = """{"name":"Ada Lovelace","email":"ada@example.com"}""";
    private const string Address = "\"12 Analytical St\"";
    private const string OneLine = """[{"menuItemId":"cola","quantity":1}]""";

    public static TheoryData<string, string> InvalidOrders => new()
    {
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"caviar","quantity":1}]}""", "lines[0].menuItemId" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":0}]}""", "lines[0].quantity" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":21}]}""", "lines[0].quantity" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola"}]}""", "lines[0].quantity" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[]}""", "lines" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{{string.Join(",", Enumerable.Repeat("""{"menuItemId":"cola","quantity":1}""", 21))}}]}""", "lines" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}}}""", "lines" },
        { $$"""{"customer":{"name":"Ada","email":"ada@"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer.email" },
        { $$"""{"customer":{"name":"Ada","email":"not an email"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer.email" },
        { $$"""{"customer":{"name":"","email":"ada@example.com"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer.name" },
        { $$"""{"customer":{"name":"{{new string('a', 101)}}","email":"ada@example.com"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer.name" },
        { $$"""{"customer":{"name":"Ada\r\nBcc: victim@example.com","email":"ada@example.com"},"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer.name" },
        { $$"""{"deliveryAddress":{{Address}},"lines":{{OneLine}}}""", "customer" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":"  ","lines":{{OneLine}}}""", "deliveryAddress" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":"{{new string('a', 201)}}","lines":{{OneLine}}}""", "deliveryAddress" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":{{OneLine}},"price":0.01}""", "price" },
        { $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":[{"menuItemId":"cola","quantity":"two"}]}""", "lines[0].quantity" },
        { """{"customer": """, "$" },
        { "[1, 2, 3]", "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task AnInvalidOrderGetsAValidationProblemNamingTheField(string json, string field)
    {
        using var response = await api.Producer.Client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name).ToList();
        Assert.Contains(field, errors);
    }

    [Theory]
    [InlineData("""[]""", "lines", "Choose at least one item from the menu.")]
    [InlineData("""[{"menuItemId":"cola","quantity":21}]""", "lines[0].quantity", "Quantity of Cola must be 1 to 20.")]
    [InlineData("""[{"menuItemId":"fries","quantity":1},{"menuItemId":"pepperoni","quantity":0}]""", "lines[1].quantity", "Quantity of Pepperoni Pizza must be 1 to 20.")]
    [InlineData("""[{"menuItemId":"caviar","quantity":50}]""", "lines[0].quantity", "Quantity must be 1 to 20.")]
    public async Task ABasketErrorSaysInPlainWordsWhichItemIsWrong(string lines, string field, string message)
    {
        var json = $$"""{"customer":{{Customer}},"deliveryAddress":{{Address}},"lines":{{lines}}}""";

        using var response = await api.Producer.Client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, Assert.Single(problem.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
    }

    public sealed class Api : IAsyncLifetime
    {
        private EmbeddedKafkaCluster? _kafka;

        internal ProducerApp Producer { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _kafka = EmbeddedKafkaCluster.Start(1, 1, Topics.All);
            Producer = await ProducerApp.StartAsync(_kafka.BootstrapServers);
        }

        public async Task DisposeAsync()
        {
            // Nothing that failed validation may have reached the log.
            var published = TopicReader.ReadAll(_kafka!.BootstrapServers, Topics.OrdersReceived).Count;
            await Producer.DisposeAsync();
            _kafka.Dispose();
            Assert.Equal(0, published);
        }
    }
}
