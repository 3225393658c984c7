using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using FoodOrdering.AppHost;
using FoodOrdering.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace FoodOrdering.Tests.AppHost;

/// <summary>
/// docs/deploy.md's patches for the deployment tools, checked against the manifest they patch: no tool runs here,
/// so this is what can be held true — every name is a published resource, exactly the one-shot steps are kept from
/// restarting, every wait for completion of the model is written, and Redis's command is the manifest's.
/// </summary>
public sealed partial class DeployPatchTests
{
    [Fact]
    public async Task TheComposePatchesKeepExactlyTheOneShotStepsFromRestartingAndAspir8sWritesEveryWaitForCompletion()
    {
        var manifest = await PublishedManifest.PublishAsync();
        var steps = OneShotSteps(manifest);

        foreach (var target in new[] { "aspire-compose", "aspir8-compose" })
        {
            var services = Map(Map(Patch(target))["services"]);
            Assert.All(services.Children.Keys, name => Assert.Contains(Text(name), manifest.Names));
            var notRestarted = services.Children.Where(service => Map(service.Value).Children.TryGetValue(new YamlScalarNode("restart"), out var restart) && Text(restart) == "no");
            Assert.Equal(steps.Order(), notRestarted.Select(service => Text(service.Key)).Order());
        }

        var aspir8 = Map(Map(Patch("aspir8-compose"))["services"]);
        var waits = manifest.Model
            .SelectMany(resource => resource.Annotations.OfType<WaitAnnotation>().Where(wait => wait.WaitType == WaitType.WaitForCompletion).Select(wait => (resource.Name, Step: wait.Resource.Name)));
        foreach (var (service, step) in waits)
        {
            var dependsOn = Map(Map(aspir8[service])["depends_on"]);
            Assert.Equal("service_completed_successfully", Text(Map(dependsOn[step])["condition"]));
        }
    }

    [Fact]
    public async Task Aspir8sComposePatchGivesRedisTheManifestsEntrypointAndCommandWithThePasswordLeftToTheContainer()
    {
        var manifest = await PublishedManifest.PublishAsync();
        var redis = manifest[ConnectionNames.Redis];
        var args = redis.GetProperty("args").EnumerateArray().Select(arg => arg.GetString()!).ToList();

        var patch = Map(Map(Map(Patch("aspir8-compose"))["services"])[ConnectionNames.Redis]);

        Assert.Equal([redis.GetProperty("entrypoint").GetString()!, args[0]], ((YamlSequenceNode)patch["entrypoint"]).Select(Text));
        // $$ is Compose's escape for $: the container's own REDIS_PASSWORD, not the host's.
        Assert.Equal([args[1].Replace("$", "$$", StringComparison.Ordinal)], ((YamlSequenceNode)patch["command"]).Select(Text));
        Assert.Contains("REDIS_PASSWORD", manifest.Environment(ConnectionNames.Redis).Keys);
    }

    [Fact]
    public async Task Aspir8sKubernetesPatchDeletesTheDeploymentOfExactlyTheOneShotStepsAndTurnsServiceLinksOff()
    {
        var manifest = await PublishedManifest.PublishAsync();

        var patches = (YamlSequenceNode)Map(Patch("aspir8-kubernetes"))["patches"];
        var deleted = patches.Select(Map)
            .Where(patch => Text(patch["patch"]).Contains("$patch: delete", StringComparison.Ordinal))
            .Select(patch => Text(Map(patch["target"])["name"]));
        var job = Map(Patch("aspir8-kubernetes-job"));

        Assert.Equal(OneShotSteps(manifest).Order(), deleted.Order());
        Assert.Contains(patches.Select(Map), patch => Text(patch["patch"]).Contains("/spec/template/spec/enableServiceLinks", StringComparison.Ordinal)
            && !Map(patch["target"]).Children.ContainsKey(new YamlScalarNode("name")));
        Assert.Equal("Job", Text(job["kind"]));
        Assert.Contains(Text(Map(job["metadata"])["name"]), OneShotSteps(manifest));
        Assert.Equal("OnFailure", Text(Map(Map(Map(job["spec"])["template"])["spec"])["restartPolicy"]));
    }

    private static List<string> OneShotSteps(PublishedManifest manifest) =>
        [.. manifest.Model.Where(resource => resource.Annotations.OfType<OneShotStepAnnotation>().Any()).Select(resource => resource.Name)];

    private static YamlNode Patch(string target)
    {
        var deploy = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "deploy.md"));
        var block = PatchBlock().Matches(deploy).SingleOrDefault(match => match.Groups["target"].Value == target)
            ?? throw new Xunit.Sdk.XunitException($"docs/deploy.md has no patch marked {target}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(block.Groups["yaml"].Value));
        return yaml.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlNode node) => (YamlMappingNode)node;

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "FoodOrdering.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("FoodOrdering.sln not found above the test binaries.");
        }

        return directory.FullName;
    }

    [GeneratedRegex(@"<!-- patch: (?<target>[a-z0-9-]+) -->\s*```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex PatchBlock();
}
