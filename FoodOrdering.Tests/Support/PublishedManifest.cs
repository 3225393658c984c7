using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace FoodOrdering.Tests.Support;

/// <summary>
/// The manifest the AppHost publishes (<c>--publisher manifest</c>), written and read back as a deployment tool
/// reads it, beside the model it was published from (which holds what the manifest does not: the waits).
/// </summary>
internal sealed class PublishedManifest
{
    private readonly Dictionary<string, JsonElement> _resources;

    private PublishedManifest(Dictionary<string, JsonElement> resources, IResourceCollection model)
    {
        _resources = resources;
        Model = model;
    }

    public IResourceCollection Model { get; }

    public IEnumerable<string> Names => _resources.Keys;

    public static async Task<PublishedManifest> PublishAsync(params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"foodordering-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FoodOrdering_AppHost>(["--publisher", "manifest", "--output-path", path, .. args]);
            await using var app = await builder.BuildAsync();
            using var timeout = new CancellationTokenSource(TestTimeouts.AppHostRun);
            await app.RunAsync(timeout.Token);

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            var resources = manifest.RootElement.GetProperty("resources").EnumerateObject().ToDictionary(r => r.Name, r => r.Value.Clone());
            return new PublishedManifest(resources, builder.Resources);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public JsonElement this[string name] => _resources[name];

    public string Type(string name) => _resources[name].GetProperty("type").GetString()!;

    public string? ConnectionString(string name) =>
        _resources[name].TryGetProperty("connectionString", out var value) ? value.GetString() : null;

    public Dictionary<string, string> Environment(string name) =>
        _resources[name].TryGetProperty("env", out var env)
            ? env.EnumerateObject().ToDictionary(variable => variable.Name, variable => variable.Value.GetString() ?? "")
            : [];

    /// <summary>The resources <paramref name="name"/> waits for in the model it was published from, with how.</summary>
    public (string Resource, WaitType How)[] WaitsOf(string name) =>
        [.. Model.Single(r => r.Name == name).Annotations.OfType<WaitAnnotation>().Select(wait => (wait.Resource.Name, wait.WaitType))];
}
