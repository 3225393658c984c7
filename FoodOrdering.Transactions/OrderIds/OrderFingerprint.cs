using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using FoodOrdering.Contracts;

namespace FoodOrdering.Transactions.OrderIds;

/// <summary>
/// What an order says, as 128 bits: the SHA-256 of the order as the contracts write it, so the same order re-sent
/// (by a producer's retry or a re-drive) has the same fingerprint whatever spacing or extra members its JSON had, and
/// any change to what was ordered, by whom or for where gives another.
/// </summary>
internal static class OrderFingerprint
{
    public static UInt128 Of(OrderPlaced order)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(order, ContractsJsonContext.Default.OrderPlaced), hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    public static string ToText(UInt128 fingerprint)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, fingerprint);
        return Convert.ToHexString(bytes);
    }

    /// <summary>Reads what <see cref="ToText"/> wrote; false for anything else.</summary>
    public static bool TryParse(string text, out UInt128 fingerprint)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (text.Length == 32 && Convert.FromHexString(text, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 16)
        {
            fingerprint = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            return true;
        }

        fingerprint = default;
        return false;
    }
}
