using System.Text.Json;
using System.Text.Json.Serialization;

namespace FoodOrdering.Producer.Orders;

/// <summary>
/// The order API's JSON: strict, so what a client meant is never guessed. A misspelt or unknown field, a field given
/// twice (also as <c>customer</c> and <c>Customer</c>, which both name it: names match whatever their case) and a
/// number sent as a string (which the web defaults read) are each a 400 rather than silently ignored or chosen.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PlaceOrderRequest))]
[JsonSerializable(typeof(MenuResponse))]
[JsonSerializable(typeof(Apis.GeneratorStatus))]
[JsonSerializable(typeof(Tracking.OrderStatus))]
internal sealed partial class OrderApiJsonContext : JsonSerializerContext;
