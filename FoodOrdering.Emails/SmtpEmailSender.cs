using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FoodOrdering.Emails;

/// <summary>
/// Sends over one SMTP connection that is opened once and reused, reconnecting (and authenticating, when the
/// connection string has credentials) only after it was lost. Each send is a client span in the order's trace.
/// </summary>
internal sealed class SmtpEmailSender(SmtpConnection connection, EmailMetrics metrics) : IAsyncDisposable
{
    private static readonly ActivitySource Source = new(typeof(SmtpEmailSender).Assembly.GetName().Name!);

    private readonly SmtpClient _client = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("server.address", connection.Endpoint.Host)
            .SetTag("server.port", connection.Endpoint.Port)
            .SetTag("email.message_id", message.MessageId);
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_client.IsConnected)
            {
                await _client.ConnectAsync(connection.Endpoint.Host, connection.Endpoint.Port, connection.SocketOptions, cancellationToken);
                if (!string.IsNullOrEmpty(connection.Username))
                {
                    await _client.AuthenticateAsync(connection.Username, connection.Password ?? "", cancellationToken);
                }
            }

            await _client.SendAsync(message, cancellationToken);
            metrics.Sent(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            activity?.AddException(e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            // After a failure the conversation is in an unknown state; the next send starts a fresh one.
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
