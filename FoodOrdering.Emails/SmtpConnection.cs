using System.Data.Common;

namespace FoodOrdering.Emails;

/// <summary>
/// The <c>smtp</c> connection string: <c>Endpoint=smtp://host:port;Username=…;Password=…</c>, the format of the
/// community MailKit integration for Aspire. <c>smtps://</c> means TLS from the first byte; <c>smtp://</c>
/// upgrades with STARTTLS when the server offers it.
/// </summary>
internal sealed record SmtpConnection(Uri Endpoint, string? Username, string? Password)
{
    public bool UseTls => Endpoint.Scheme == "smtps";

    public static SmtpConnection Parse(string? connectionString, string connectionName)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString ?? "" };
        if (!builder.TryGetValue("Endpoint", out var endpoint)
            || !Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("smtp" or "smtps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} must be 'Endpoint=smtp://host:port' (optionally ';Username=…;Password=…'); the AppHost sets it.");
        }

        return new SmtpConnection(uri, Value(builder, "Username"), Value(builder, "Password"));
    }

    private static string? Value(DbConnectionStringBuilder builder, string key) =>
        builder.TryGetValue(key, out var value) ? value?.ToString() : null;
}
