using System.Net;
using System.Net.Sockets;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// An HTTP client whose connections go to 127.0.0.1 from another address of the loopback network (127.0.0.2,
/// 127.0.0.3, …), so a test on one machine can be several clients, each as the Producer sees it.
/// </summary>
internal static class LoopbackClient
{
    public static HttpClient From(string localAddress, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    // localhost may resolve to ::1 first, which a socket bound to an IPv4 address cannot reach.
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
