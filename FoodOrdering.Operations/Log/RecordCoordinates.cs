using System.Globalization;

namespace FoodOrdering.Operations.Log;

/// <summary>Where one record is: <c>topic/partition/offset</c> in URLs, headers and audit records.</summary>
internal readonly record struct RecordCoordinates(string Topic, int Partition, long Offset)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Topic}/{Partition}/{Offset}");

    public static bool TryParse(string? text, out RecordCoordinates coordinates)
    {
        coordinates = default;
        var parts = text?.Split('/');
        if (parts is not [{ Length: > 0 } topic, var partition, var offset]
            || !int.TryParse(partition, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            || !long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var o))
        {
            return false;
        }

        coordinates = new RecordCoordinates(topic, p, o);
        return true;
    }
}
