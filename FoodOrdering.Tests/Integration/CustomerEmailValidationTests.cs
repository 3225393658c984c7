using System.Net;
using System.Text;
using System.Text.Json;

namespace FoodOrdering.Tests.Integration;

/// <summary><c>POST /orders</c> refuses a customer email mail servers do not take: a 400 on <c>customer.email</c>, nothing published.</summary>
public sealed class CustomerEmailValidationTests(OrderValidationTests.Api api) : IClassFixture<OrderValidationTests.Api>
{
    [Theory]
    [InlineData("jane@-example.com")]
    [InlineData("jane@exa_mple.com")]
    [InlineData("jane@exa$mple.com")]
    [InlineData("jane@exa!mple.com")]
    [InlineData("")]
    [InlineData("jane@[192.0.2.1]")]
    [InlineData("jane@example.123")]
    public async Task AnEmailWhoseDomainIsNoHostNameIsAValidationProblemOnTheField(string email)
    {
        var json = $$"""{"customer":{"name":"Jane","email":{{JsonSerializer.Serialize(email)}}},"deliveryAddress":"1 Main St","lines":[{"menuItemId":"cola","quantity":1}]}""";

        using var response = await api.Producer.Client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("customer.email").EnumerateArray()).GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
    }
}
