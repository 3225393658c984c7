using System.Collections.Concurrent;
using System.Diagnostics;
using MailKit.Net.Smtp;
using MimeKit;

namespace FoodOrdering.Emails;

/// <summary>
/// Sends over a small pool of SMTP connections, each opened once and reused, reconnecting (and authenticating,
/// when the connection string has credentials) only after it was lost; several emails can be in flight at once,
/// one per connection. Each send is a client span in the order's trace. A failed send throws
/// <see cref="SmtpSendException"/>, which says what failed and holds no address.
/// </summary>
internal sealed class SmtpEmailSender : IAsyncDisposable
{
    private static readonly ActivitySource Source = new(typeof(SmtpEmailSender).Assembly.GetName().Name!);

    private readonly SmtpConnection _connection;
    private readonly EmailMetrics _metrics;
    private readonly ConcurrentBag<SmtpClient> _idle = [];
    private readonly SemaphoreSlim _slots;

    public SmtpEmailSender(SmtpConnection connection, EmailMetrics metrics, int connections = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        _connection = connection;
        _metrics = metrics;
        _slots = new SemaphoreSlim(connections, connections);
    }

    public async Task SendAsync(MimeMessage message, Guid orderId, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("order.id", orderId)
            .SetTag("server.address", _connection.Endpoint.Host)
            .SetTag("server.port", _connection.Endpoint.Port)
            .SetTag("email.message_id", message.MessageId);
        var started = Stopwatch.GetTimestamp();
        await _slots.WaitAsync(cancellationToken);
        var client = _idle.TryTake(out var pooled) ? pooled : new SmtpClient();
        try
        {
            if (!client.IsConnected)
            {
                await client.ConnectAsync(_connection.Endpoint.Host, _connection.Endpoint.Port, _connection.SocketOptions, cancellationToken);
                if (!string.IsNullOrEmpty(_connection.Username))
                {
                    await client.AuthenticateAsync(_connection.Username, _connection.Password ?? "", cancellationToken);
                }
            }

            await client.SendAsync(message, cancellationToken);
            _metrics.Sent(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            // After a failure the conversation is in an unknown state; the next send on this connection starts a fresh one.
            await client.DisconnectAsync(quit: false, CancellationToken.None);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                Pii.RecordException(activity, e);
                throw;
            }

            var failure = SmtpFailures.Describe(e, message.To.Mailboxes.Select(mailbox => mailbox.Address));
            activity?.SetTag("error.type", failure.Scope.ToString());
            Pii.RecordException(activity, failure);
            throw failure;
        }
        finally
        {
            _idle.Add(client);
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var client))
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, CancellationToken.None);
            }

            client.Dispose();
        }

        _slots.Dispose();
    }
}
