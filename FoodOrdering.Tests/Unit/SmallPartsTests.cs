using FoodOrdering.Emails;
using MailKit.Security;

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

    [Theory]
    [InlineData("5.1.1 <jane.doe@example.com>: Recipient address rejected", "5.1.1 <j***@example.com>: Recipient address rejected")]
    [InlineData("from ada@example.com to bob@example.org failed", "from a***@example.com to b***@example.org failed")]
    [InlineData("550 5.1.1 <\"ada lovelace\"@example.com>: User unknown", "550 5.1.1 <\"***@example.com>: User unknown")]
    [InlineData("Connection refused (localhost:25)", "Connection refused (localhost:25)")]
    [InlineData(null, "")]
    public void MasksEveryAddressInsideFreeText(string? text, string masked) =>
        Assert.Equal(masked, Pii.MaskEmailsIn(text));
}

public sealed class SmtpConnectionTests
{
    [Fact]
    public void ReadsEndpointAndCredentials()
    {
        var connection = SmtpConnection.Parse("Endpoint=smtps://mail.example.com:465;Username=shop;Password=secret", "smtp");

        Assert.Equal(("mail.example.com", 465, SecureSocketOptions.SslOnConnect), (connection.Endpoint.Host, connection.Endpoint.Port, connection.SocketOptions));
        Assert.Equal(("shop", "secret"), (connection.Username, connection.Password));
    }

    [Theory]
    [InlineData("Endpoint=smtp://localhost:25", SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData("Endpoint=smtp://localhost:587;Tls=StartTls", SecureSocketOptions.StartTls)]
    [InlineData("Endpoint=smtp://localhost:25;Tls=none", SecureSocketOptions.None)]
    [InlineData("Endpoint=smtp://localhost:587;Username=shop;Password=secret", SecureSocketOptions.StartTls)]
    [InlineData("Endpoint=smtps://localhost:465;Username=shop;Password=secret", SecureSocketOptions.SslOnConnect)]
    public void ChoosesTlsFromTheSchemeOrTheTlsSetting(string connectionString, SecureSocketOptions expected) =>
        Assert.Equal(expected, SmtpConnection.Parse(connectionString, "smtp").SocketOptions);

    [Theory]
    [InlineData("Endpoint=smtp://localhost:25;Username=shop;Password=secret;Tls=None")]
    [InlineData("Endpoint=smtp://localhost:25;Username=shop;Password=secret;Tls=StartTlsWhenAvailable")]
    [InlineData("Endpoint=smtp://localhost:25;Username=shop;Password=secret;Tls=Auto")]
    public void RefusesCredentialsOnAConnectionThatMayNotBeEncrypted(string connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmtpConnection.Parse(connectionString, "smtp"));

        Assert.Contains("Email:AllowCredentialsWithoutTls", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Theory]
    [InlineData("Endpoint=smtp://localhost:25;Username=shop;Password=secret", SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData("Endpoint=smtp://localhost:25;Username=shop;Password=secret;Tls=None", SecureSocketOptions.None)]
    public void SendsCredentialsWithoutTlsOnlyWhenThatIsExplicitlyAllowed(string connectionString, SecureSocketOptions expected) =>
        Assert.Equal(expected, SmtpConnection.Parse(connectionString, "smtp", allowCredentialsWithoutTls: true).SocketOptions);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Endpoint=http://localhost:25")]
    [InlineData("Host=localhost")]
    [InlineData("Endpoint=smtp://localhost:25;Tls=Sometimes")]
    public void RefusesAnythingElseWithAClearMessage(string? connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmtpConnection.Parse(connectionString, "smtp"));

        Assert.Contains("ConnectionStrings:smtp", error.Message);
    }
}
