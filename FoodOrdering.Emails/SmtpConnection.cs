using System.Data.Common;
using MailKit.Security;

namespace FoodOrdering.Emails;

/// <summary>
/// The <c>smtp</c> connection string: <c>Endpoint=smtp://host:port;Username=…;Password=…</c>, the format of the
/// community MailKit integration for Aspire. <c>smtps://</c> means TLS from the first byte; <c>smtp://</c>
/// upgrades with STARTTLS when the server offers it, or always with <c>;Tls=StartTls</c> (or never: <c>Tls=None</c>).
/// With credentials, STARTTLS is required: an attacker on the path can strip a STARTTLS offer and read them.
/// </summary>
internal sealed record SmtpConnection(Uri Endpoint, string? Username, string? Password, SecureSocketOptions SocketOptions)
{
    /// <param name="allowCredentialsWithoutTls"><see cref="EmailOptions.AllowCredentialsWithoutTls"/>.</param>
    public static SmtpConnection Parse(string? connectionString, string connectionName, bool allowCredentialsWithoutTls = false)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString ?? "" };
        if (!builder.TryGetValue("Endpoint", out var endpoint)
            || !Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("smtp" or "smtps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} must be 'Endpoint=smtp://host:port' (optionally ';Username=…;Password=…'); the AppHost sets it.");
        }

        var username = Value(builder, "Username");
        var credentialsNeedTls = !string.IsNullOrEmpty(username) && !allowCredentialsWithoutTls;
        var tls = Value(builder, "Tls") switch
        {
            null when uri.Scheme == "smtps" => SecureSocketOptions.SslOnConnect,
            null when credentialsNeedTls => SecureSocketOptions.StartTls,
            null => SecureSocketOptions.StartTlsWhenAvailable,
            var mode when Enum.TryParse<SecureSocketOptions>(mode, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) => parsed,
            var mode => throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} has Tls={mode}; use one of {string.Join(", ", Enum.GetNames<SecureSocketOptions>())}."),
        };
        if (credentialsNeedTls && tls is not (SecureSocketOptions.SslOnConnect or SecureSocketOptions.StartTls))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} has credentials and Tls={tls}, which can send them unencrypted. Use smtps:// or Tls=StartTls, " +
                $"or set {EmailOptions.SectionName}:{nameof(EmailOptions.AllowCredentialsWithoutTls)} to true for a server whose network you trust.");
        }

        return new SmtpConnection(uri, username, Value(builder, "Password"), tls);
    }

    private static string? Value(DbConnectionStringBuilder builder, string key) =>
        builder.TryGetValue(key, out var value) ? value?.ToString() : null;
}
