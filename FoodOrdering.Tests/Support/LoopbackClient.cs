using System.Net;
using System.Net.Sockets;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// An HTTP client whose connections come from one address of the loopback network (127.0.0.2, 127.0.0.3, …), so a
/// test on one machine can be several clients, each as the Producer sees it.
/// </summary>
internal static class LoopbackClient
{
    public static HttpClient From(string localAddress, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
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
