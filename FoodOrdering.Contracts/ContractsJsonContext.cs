using System.Text.Json;
using System.Text.Json.Serialization;

namespace FoodOrdering.Contracts;

/// <summary>
/// Source-generated JSON for every message on the wire: no reflection on the hot path. Missing or null required
/// members fail; unknown members are ignored, so a producer may add fields before its consumers know them.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(OrderConfirmed))]
[JsonSerializable(typeof(OrderRejected))]
[JsonSerializable(typeof(OrderLineSold))]
[JsonSerializable(typeof(EmailSent))]
[JsonSerializable(typeof(EmailFailed))]
[JsonSerializable(typeof(ConsumptionCommand))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
