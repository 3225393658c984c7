using FoodOrdering.Emails;

namespace FoodOrdering.Tests.Unit;

public sealed class PiiTests
{
    [Theory]
    [InlineData("jane.doe@example.com", "j***@example.com")]
    [InlineData("x@y.org", "x***@y.org")]
    [InlineData("not-an-address", "***")]
    [InlineData("@example.com", "***")]
    [InlineData(null, "***")]
    public void MasksEverythingButTheFirstLetterAndTheDomain(string? email, string masked) =>
        Assert.Equal(masked, Pii.MaskEmail(email));
}

public sealed class SmtpConnectionTests
{
    [Fact]
    public void ReadsEndpointAndCredentials()
    {
        var connection = SmtpConnection.Parse("Endpoint=smtps://mail.example.com:465;Username=shop;Password=secret", "smtp");

        Assert.Equal(("mail.example.com", 465, true), (connection.Endpoint.Host, connection.Endpoint.Port, connection.UseTls));
        Assert.Equal(("shop", "secret"), (connection.Username, connection.Password));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Endpoint=http://localhost:25")]
    [InlineData("Host=localhost")]
    public void RefusesAnythingElseWithAClearMessage(string? connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmtpConnection.Parse(connectionString, "smtp"));

        Assert.Contains("ConnectionStrings:smtp", error.Message);
    }
}
