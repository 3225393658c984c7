using Microsoft.Net.Http.Headers;

namespace FoodOrdering.Producer.Apis;

/// <summary>
/// JSON between systems is UTF-8 (RFC 8259) and is read as such; a body labelled as anything else would be read as
/// other text than its sender wrote, so it is refused rather than guessed at.
/// </summary>
internal static class JsonCharset
{
    /// <summary>The charset the body is labelled with when that is not UTF-8; null for UTF-8 or no label.</summary>
    public static string? NotUtf8(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.Charset.HasValue)
        {
            return null;
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString();
        return string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase) ? null : charset;
    }
}
