using System.Net;
using System.Net.Sockets;

namespace FoodOrdering.Embedded;

/// <summary>
/// Listens on a fixed loopback port (IPv4 and, where there is one, IPv6) and relays every connection, byte for byte,
/// to <c>target</c>: how a mock broker, whose own port librdkafka picks at random, is reached on a port a Kafka tool
/// can be pointed at.
/// </summary>
internal sealed class LoopbackRelay : IDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();

    private LoopbackRelay(IPEndPoint target) => _target = target;

    /// <summary>Listens on <paramref name="port"/> at once; a port already taken fails here, naming the setting to change.</summary>
    public static LoopbackRelay Start(int port, IPEndPoint target, string portSetting)
    {
        var relay = new LoopbackRelay(target);
        try
        {
            relay.Listen(new IPEndPoint(IPAddress.Loopback, port), required: true, portSetting);
            if (Socket.OSSupportsIPv6)
            {
                relay.Listen(new IPEndPoint(IPAddress.IPv6Loopback, port), required: false, portSetting);
            }
        }
        catch
        {
            relay.Dispose();
            throw;
        }

        return relay;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listeners.ForEach(listener => listener.Stop());
        _stopping.Dispose();
    }

    private void Listen(IPEndPoint endpoint, bool required, string portSetting)
    {
        var listener = new TcpListener(endpoint);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"Port {endpoint.Port} on {endpoint.Address} is already in use (another Kafka, or another AppHost in Embedded mode?). " +
                $"Stop what uses it, or give another port: --{portSetting} <port> (0 picks free ones).", e);
        }
        catch (SocketException) when (!required)
        {
            // No IPv6 loopback on this host: clients resolving localhost get 127.0.0.1 only.
            return;
        }

        _listeners.Add(listener);
        _ = AcceptAsync(listener, _stopping.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                return;
            }

            _ = RelayAsync(client, stopping);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken stopping)
    {
        using var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (client)
        {
            client.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(_target, stopping);
                await using var fromClient = new NetworkStream(client, ownsSocket: false);
                await using var fromBroker = new NetworkStream(upstream, ownsSocket: false);
                var directions = new[] { fromClient.CopyToAsync(fromBroker, stopping), fromBroker.CopyToAsync(fromClient, stopping) };
                await Task.WhenAny(directions);
                // Either side closing ends the connection for both, as a direct connection would.
                client.Shutdown(SocketShutdown.Both);
                upstream.Shutdown(SocketShutdown.Both);
                await Task.WhenAll(directions);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection ended; the client sees it closed and reconnects if it wants to.
            }
        }
    }
}
