using System.Text.Json;
using System.Text.Json.Serialization;

namespace FoodOrdering.Producer.Orders;

/// <summary>The order API's JSON: strict, so a misspelt or unknown field is a 400 rather than silently ignored.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PlaceOrderRequest))]
[JsonSerializable(typeof(MenuResponse))]
[JsonSerializable(typeof(Apis.GeneratorStatus))]
[JsonSerializable(typeof(Tracking.OrderStatus))]
internal sealed partial class OrderApiJsonContext : JsonSerializerContext;
