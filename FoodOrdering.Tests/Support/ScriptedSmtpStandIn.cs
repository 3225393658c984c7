using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// A <b>stand-in</b> for an SMTP server, not one: a loopback listener that speaks just enough SMTP for MailKit
/// (greeting, EHLO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT), accepts by default, and answers what
/// <see cref="Reply"/> says at the step a test chooses, so a test can make a server refuse a recipient, a message, the
/// sender, the credentials or the whole session. It offers no STARTTLS, keeps accepted messages in memory and
/// delivers nothing.
/// </summary>
internal sealed class ScriptedSmtpStandIn : IAsyncDisposable
{
    private const string Name = "scripted-smtp-stand-in";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<Task> _sessions = new();
    private readonly Task _accepting;
    private int _sessionsOpened;
    private int _refusals;
    private int _authentications;

    private ScriptedSmtpStandIn()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>
    /// The reply to give at a step instead of accepting, given the step's argument (the address at MAIL FROM and
    /// RCPT TO, the user name at AUTH, the message at the end of DATA); null accepts. A reply whose code is not 2xx or
    /// 3xx counts in <see cref="Refusals"/>; after a 421 or a refused greeting the stand-in hangs up.
    /// </summary>
    public Func<SmtpStep, string, string?>? Reply { get; set; }

    /// <summary>Whether EHLO offers <c>AUTH PLAIN</c>.</summary>
    public bool OffersAuthentication { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ConnectionString => $"Endpoint=smtp://127.0.0.1:{Port}";

    /// <summary>Every message accepted, as sent (headers and body).</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    public int SessionsOpened => Volatile.Read(ref _sessionsOpened);

    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>AUTH commands received, that is credentials sent over this (never encrypted) connection.</summary>
    public int Authentications => Volatile.Read(ref _authentications);

    public static ScriptedSmtpStandIn Start(bool offersAuthentication = false) => new() { OffersAuthentication = offersAuthentication };

    /// <summary>The <c>Message-Id</c> of every accepted message.</summary>
    public IReadOnlyList<string> MessageIds() =>
        [.. Messages.Select(message => message.Split("\r\n").First(line => line.StartsWith("Message-Id:", StringComparison.OrdinalIgnoreCase))["Message-Id:".Length..].Trim().Trim('<', '>'))];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await Task.WhenAll(_sessions.Append(_accepting).Select(task => task.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _sessionsOpened);
            _sessions.Enqueue(Task.Run(() => ConverseAsync(client)));
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        var token = _stopping.Token;
        try
        {
            if (!await AnswerAsync(writer, SmtpStep.Greeting, "", $"220 {Name} ESMTP"))
            {
                return;
            }

            while (await reader.ReadLineAsync(token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                var goOn = verb switch
                {
                    "EHLO" => await AnswerAsync(writer, SmtpStep.Ehlo, argument, Capabilities()),
                    "HELO" => await AnswerAsync(writer, SmtpStep.Ehlo, argument, $"250 {Name}"),
                    "AUTH" => await AuthenticateAsync(reader, writer, argument, token),
                    "MAIL" => await AnswerAsync(writer, SmtpStep.MailFrom, Address(argument), "250 2.1.0 Ok"),
                    "RCPT" => await AnswerAsync(writer, SmtpStep.RcptTo, Address(argument), "250 2.1.5 Ok"),
                    "DATA" => await ReceiveAsync(reader, writer, token),
                    "RSET" or "NOOP" => await AnswerAsync(writer, null, "", "250 2.0.0 Ok"),
                    "QUIT" => !await AnswerAsync(writer, null, "", "221 2.0.0 Bye"),
                    _ => await AnswerAsync(writer, null, "", "502 5.5.2 Command not recognized"),
                };
                if (!goOn)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up, or the stand-in is stopping.
        }
    }

    private string Capabilities() =>
        string.Join("\r\n", new[] { $"250-{Name}", "250-8BITMIME" }.Concat(OffersAuthentication ? ["250-AUTH PLAIN"] : []).Append("250 HELP"));

    private async Task<bool> AuthenticateAsync(StreamReader reader, StreamWriter writer, string argument, CancellationToken token)
    {
        Interlocked.Increment(ref _authentications);
        var parts = argument.Split(' ', 2);
        var response = parts.Length > 1 ? parts[1] : null;
        if (response is null)
        {
            await writer.WriteLineAsync("334 ");
            response = await reader.ReadLineAsync(token) ?? "";
        }

        string user;
        try
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0').ElementAtOrDefault(1) ?? "";
        }
        catch (FormatException)
        {
            user = "";
        }

        return await AnswerAsync(writer, SmtpStep.Auth, user, "235 2.7.0 Authentication successful");
    }

    private async Task<bool> ReceiveAsync(StreamReader reader, StreamWriter writer, CancellationToken token)
    {
        if (!await AnswerAsync(writer, null, "", "354 End data with <CR><LF>.<CR><LF>"))
        {
            return false;
        }

        var message = new StringBuilder();
        string? line;
        while ((line = await reader.ReadLineAsync(token)) is not null && line != ".")
        {
            message.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        if (line is null)
        {
            // The client hung up inside the message: nothing was sent.
            return false;
        }

        var text = message.ToString();
        var reply = Reply?.Invoke(SmtpStep.EndOfData, text);
        if (reply is null)
        {
            Messages.Enqueue(text);
        }

        return await WriteAsync(writer, reply ?? "250 2.0.0 Ok: queued");
    }

    /// <summary>Gives the scripted reply for <paramref name="step"/>, or <paramref name="accept"/>; false when the session ends.</summary>
    private async Task<bool> AnswerAsync(StreamWriter writer, SmtpStep? step, string argument, string accept) =>
        await WriteAsync(writer, (step is { } scripted ? Reply?.Invoke(scripted, argument) : null) ?? accept, hangUp: step == SmtpStep.Greeting);

    private async Task<bool> WriteAsync(StreamWriter writer, string reply, bool hangUp = false)
    {
        await writer.WriteLineAsync(reply);
        if (reply[0] is '2' or '3')
        {
            return true;
        }

        Interlocked.Increment(ref _refusals);
        return !(hangUp || reply.StartsWith("421", StringComparison.Ordinal));
    }

    private static string Address(string argument)
    {
        var open = argument.IndexOf('<', StringComparison.Ordinal);
        var close = argument.IndexOf('>', open + 1);
        return open >= 0 && close > open ? argument[(open + 1)..close] : argument;
    }
}
