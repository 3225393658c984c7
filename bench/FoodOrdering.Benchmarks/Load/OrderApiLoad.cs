using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FoodOrdering.Benchmarks.Measurement;
using FoodOrdering.Producer.Orders;

namespace FoodOrdering.Benchmarks.Load;

/// <summary>
/// Concurrent clients POSTing valid orders to <c>/orders</c> over HTTP/1.1 keep-alive connections, one connection
/// each. Bodies are serialized up front (a few thousand distinct ones, reused round robin) so the clients spend as
/// little as possible of the CPU they share with the service.
/// </summary>
internal sealed class OrderApiLoad : IDisposable
{
    private const int DistinctBodies = 4096;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly byte[][] _bodies;

    public OrderApiLoad(Uri baseAddress, int clients, OrderSource source)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _bodies = [.. Enumerable.Range(0, DistinctBodies).Select(_ => Body(source))];
    }

    /// <summary>
    /// Sends <paramref name="requests"/> orders from <paramref name="clients"/> loops, back to back or each at its slot
    /// of a steady schedule (<paramref name="perSecond"/>); returns the accepted order ids, and hands each to
    /// <paramref name="accepted"/> as it comes.
    /// </summary>
    public async Task<ApiLoadResult> RunAsync(int requests, int clients, LatencyRecorder? latency, int? perSecond = null, Action<Guid>? accepted = null)
    {
        var next = -1;
        var refused = 0;
        var acceptedBy = new List<Guid>[clients];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = acceptedBy[client] = [];
            while (Interlocked.Increment(ref next) is var index && index < requests)
            {
                if (perSecond is { } rate && TimeSpan.FromSeconds((double)index / rate) - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait);
                }

                var sent = Stopwatch.GetTimestamp();
                var orderId = await PlaceAsync(_bodies[index % _bodies.Length]);
                latency?.Record(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (orderId is { } id)
                {
                    mine.Add(id);
                    accepted?.Invoke(id);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        return new ApiLoadResult([.. acceptedBy.SelectMany(ids => ids)], refused, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    public void Dispose() => _client.Dispose();

    private async Task<Guid?> PlaceAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var response = await _client.PostAsync("/orders", content);
        // The id is in the Location header (/orders/{id}), so the body need not be parsed.
        return response.StatusCode == HttpStatusCode.Created
            && response.Headers.Location?.OriginalString is { } location
            && Guid.TryParse(location.AsSpan(location.LastIndexOf('/') + 1), out var id)
            ? id
            : null;
    }

    private static byte[] Body(OrderSource source)
    {
        var order = source.NextOrder();
        var request = new PlaceOrderRequest(
            new CustomerDetails(order.Customer.Name, order.Customer.Email),
            order.DeliveryAddress,
            [.. order.Lines.Select(line => new OrderLineRequest(line.MenuItemId, line.Quantity))]);
        return JsonSerializer.SerializeToUtf8Bytes(request, OrderApiJsonContext.Default.PlaceOrderRequest);
    }
}

/// <param name="Refused">Requests answered with anything but 201.</param>
internal sealed record ApiLoadResult(IReadOnlyList<Guid> Accepted, int Refused, double Seconds);
