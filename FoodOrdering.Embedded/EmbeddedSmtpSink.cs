using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FoodOrdering.Embedded;

/// <summary>
/// An SMTP server in this process (the SmtpServer package) on loopback that accepts every message and writes
/// it as an <c>.eml</c> file: a development and test stand-in for a real mail server or a mail catcher. The mail
/// holds customer data, so the directory is its owner's only (<see cref="PrivateDirectory"/>) and so is each file (0600).
/// </summary>
internal sealed class EmbeddedSmtpSink : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromHours(12);

    private readonly CancellationTokenSource _stopping = new();
    private readonly EmlFileStore _store;
    private Task? _running;

    private readonly Func<string, bool>? _rejectRecipient;

    /// <param name="rejectRecipient">Recipients for which the sink answers 550, as a real server does for an unknown mailbox.</param>
    public EmbeddedSmtpSink(string mailDirectory, int port = 0, Func<string, bool>? rejectRecipient = null)
    {
        MailDirectory = Path.GetFullPath(mailDirectory);
        Port = port == 0 ? FreeLoopbackPort() : port;
        _store = new EmlFileStore(MailDirectory);
        _rejectRecipient = rejectRecipient;
    }

    public string MailDirectory { get; }

    public int Port { get; }

    /// <summary>The <c>smtp</c> connection string the Emails service reads.</summary>
    public string ConnectionString => $"Endpoint=smtp://127.0.0.1:{Port}";

    public int MessagesReceived => _store.Count;

    /// <summary>SMTP sessions (client connections) the sink has accepted since it started.</summary>
    public int SessionsOpened => Volatile.Read(ref _sessionsOpened);

    private int _sessionsOpened;
    private int _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PrivateDirectory.Ensure(MailDirectory, $"{EmbeddedOptions.SectionName}:{nameof(EmbeddedOptions.MailDirectory)}");
        var options = new SmtpServerOptionsBuilder()
            .ServerName("foodordering-embedded-smtp")
            // SmtpServer ends a session after 2 minutes by default, however busy; the Emails service keeps its pooled
            // connections open for good, and in the benchmark such cut sessions answered a message in flight with a 5xx.
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).SessionTimeout(SessionTimeout))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new NoDelayEndpointListenerFactory());
        if (_rejectRecipient is { } reject)
        {
            services.Add(new DelegatingMailboxFilter(
                (_, _) => true,
                (_, to, _) => !reject($"{to.User}@{to.Host}")));
        }

        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessionsOpened);
        _running = server.StartAsync(_stopping.Token);
        await WaitUntilListeningAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            if (_running is { IsFaulted: true })
            {
                await _running;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class EmlFileStore(string directory) : MessageStore
    {
        private static readonly FileStreamOptions FileOptionsForMail = MailFileOptions();

        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var name = $"{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'.'fff}-{Guid.NewGuid():N}";
            var temporary = Path.Combine(directory, name + ".tmp");
            await using (var file = new FileStream(temporary, FileOptionsForMail))
            {
                foreach (var segment in buffer)
                {
                    await file.WriteAsync(segment, cancellationToken);
                }
            }

            // Appear whole or not at all, so whoever watches the directory never reads half a message.
            File.Move(temporary, Path.Combine(directory, name + ".eml"));
            Interlocked.Increment(ref _count);
            return SmtpResponse.Ok;
        }

        private static FileStreamOptions MailFileOptions()
        {
            // CreateNew: never write through a file or a link someone else put in place.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateDirectory.OwnerOnlyFile;
            }

            return options;
        }
    }
}
