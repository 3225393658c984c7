using System.Net.Http.Headers;
using System.Text;

namespace FoodOrdering.AppHost.Containers;

/// <summary>Requests to Elasticsearch or Kibana with the basic credentials of a <c>http://user:password@host</c> URL.</summary>
internal static class ElasticsearchRequests
{
    public static HttpRequestMessage Create(HttpMethod method, Uri baseUrl, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(new UriBuilder(baseUrl) { UserName = "", Password = "" }.Uri, path)) { Content = content };
        if (baseUrl.UserInfo is { Length: > 0 } userInfo)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(userInfo))));
        }

        return request;
    }
}
