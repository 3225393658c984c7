using System.Buffers.Binary;

namespace FoodOrdering.Operations.Analytics;

/// <summary>
/// A 64-bit fingerprint of what makes a record the same work (an order id and a line number), so a minute can
/// remember tens of thousands of them in little memory. Two different records share one with a probability of
/// about n²/2⁶⁵, negligible for the counts a minute holds.
/// </summary>
internal static class RecordKey
{
    public static long Of(Guid orderId, int part = 0)
    {
        Span<byte> bytes = stackalloc byte[16];
        orderId.TryWriteBytes(bytes);
        var low = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var high = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        return (long)Mix(low ^ Mix(high ^ Mix((ulong)(uint)part)));
    }

    // SplitMix64's finaliser: every input bit moves about half the output bits.
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
