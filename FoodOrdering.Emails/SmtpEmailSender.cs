using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FoodOrdering.Emails;

/// <summary>
/// Sends over one SMTP connection that is opened once and reused, reconnecting (and authenticating, when the
/// connection string has credentials) only after it was lost.
/// </summary>
internal sealed class SmtpEmailSender(SmtpConnection connection) : IAsyncDisposable
{
    private readonly SmtpClient _client = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected)
            {
                var tls = connection.UseTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
                await _client.ConnectAsync(connection.Endpoint.Host, connection.Endpoint.Port, tls, cancellationToken);
                if (!string.IsNullOrEmpty(connection.Username))
                {
                    await _client.AuthenticateAsync(connection.Username, connection.Password ?? "", cancellationToken);
                }
            }

            await _client.SendAsync(message, cancellationToken);
        }
        catch
        {
            // A half-finished conversation cannot be reused; the next send starts a fresh one.
            await _client.DisconnectAsync(quit: false, CancellationToken.None);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(quit: true, CancellationToken.None);
        }

        _client.Dispose();
        _gate.Dispose();
    }
}
