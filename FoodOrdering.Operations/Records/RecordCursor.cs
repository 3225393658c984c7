using System.Globalization;

namespace FoodOrdering.Operations.Records;

/// <summary>Where the next page starts, per partition: <c>0:120,1:98</c> — opaque to the page, readable in a URL.</summary>
internal static class RecordCursor
{
    public static string Format(IReadOnlyDictionary<int, long> positions) =>
        string.Join(',', positions.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.Value}")));

    public static bool TryParse(string? text, out Dictionary<int, long> positions)
    {
        positions = [];
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var part in text.Split(','))
        {
            var pair = part.Split(':');
            if (pair.Length != 2
                || !int.TryParse(pair[0], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !positions.TryAdd(partition, offset))
            {
                return false;
            }
        }

        return true;
    }
}
