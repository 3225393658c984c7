using System.Text.Json;
using System.Text.Json.Serialization;

namespace FoodOrdering.Transactions.OrderIds;

/// <summary>Source-generated JSON for <see cref="OrderIdClaim"/>, with the contracts' rules.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OrderIdClaim))]
internal sealed partial class OrderIdClaimJsonContext : JsonSerializerContext;
