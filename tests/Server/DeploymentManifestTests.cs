using System.CommandLine;
using PocketTts.Host.Cli;
using PocketTts.Host.Serving;
using PocketTts.Tests.Server.Infrastructure;
using PocketTts.Tests.Unit.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PocketTts.Tests.Server;

/// <summary>
/// The manifests of docs/deployment.md (deploy/): parsed, and the fields they rely on checked against each other and
/// against the server itself (the command lines parse as <c>serve</c>, the probes and the autoscaler's metric exist).
/// </summary>
public sealed class DeploymentManifestTests
{
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy");

    private static ServerOptions ParseServe(IEnumerable<string> args)
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, _ => null);
        ParseResult parse = CliApplication.Build(context).Parse([.. args]);
        parse.Errors.ShouldBeEmpty(string.Join("; ", parse.Errors.Select(error => error.Message)));
        parse.CommandResult.Command.Name.ShouldBe("serve");
        ServerOptions options = ServeCommand.ReadOptions(parse, _ => null);
        options.Validate();
        return options;
    }

    private static Dictionary<string, YamlMappingNode> KubernetesObjects()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Deploy, "kubernetes", "pocket-tts.yaml")))
            stream.Load(reader);
        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode).ToDictionary(node => Scalar(node, "kind"));
    }

    // A path of mapping keys, and of indices into sequences.
    private static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => current is YamlSequenceNode sequence
            ? sequence.Children[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)]
            : ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    private static Dictionary<string, string> Labels(YamlNode node, params string[] path) =>
        ((YamlMappingNode)Node(node, path)).Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!);

    [Fact]
    public async Task The_kubernetes_manifests_agree_with_each_other_and_with_the_server()
    {
        Dictionary<string, YamlMappingNode> objects = KubernetesObjects();
        objects.Keys.ShouldBe(["Deployment", "Service", "HorizontalPodAutoscaler", "PersistentVolumeClaim"], ignoreOrder: true);
        YamlMappingNode deployment = objects["Deployment"], service = objects["Service"], hpa = objects["HorizontalPodAutoscaler"];
        Scalar(deployment, "apiVersion").ShouldBe("apps/v1");
        Scalar(hpa, "apiVersion").ShouldBe("autoscaling/v2");

        Dictionary<string, string> podLabels = Labels(deployment, "spec", "template", "metadata", "labels");
        Labels(deployment, "spec", "selector", "matchLabels").ShouldBeSubsetOf(podLabels);
        Labels(service, "spec", "selector").ShouldBeSubsetOf(podLabels);

        var container = (YamlMappingNode)((YamlSequenceNode)Node(deployment, "spec", "template", "spec", "containers")).Children.Single();
        ServerOptions options = ParseServe(((YamlSequenceNode)Node(container, "args")).Children.Select(arg => ((YamlScalarNode)arg).Value!));
        var port = (YamlMappingNode)((YamlSequenceNode)Node(container, "ports")).Children.Single();
        Scalar(port, "containerPort").ShouldBe(options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        options.BindsEveryInterface.ShouldBeTrue("the pod's port is reached from other pods");
        options.MetricsEnabled.ShouldBeTrue("Prometheus scrapes it: --metrics, since it does not bind loopback");
        Scalar(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/port").ShouldBe(Scalar(port, "containerPort"));
        Scalar(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/path").ShouldBe("/metrics");
        int.Parse(Scalar(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan((int)options.ShutdownTimeout.TotalSeconds, "the kubelet waits for the drain");

        Scalar(container, "readinessProbe", "httpGet", "path").ShouldBe("/ready");
        Scalar(container, "livenessProbe", "httpGet", "path").ShouldBe("/health");
        Scalar(container, "startupProbe", "httpGet", "path").ShouldBe("/health");
        foreach (string probe in (string[])["readinessProbe", "livenessProbe", "startupProbe"])
            Scalar(container, probe, "httpGet", "port").ShouldBe(Scalar(port, "name"));
        Scalar(service, "spec", "ports", "0", "targetPort").ShouldBe(Scalar(port, "name"));

        var mounts = ((YamlSequenceNode)Node(container, "volumeMounts")).Children.ToDictionary(mount => Scalar(mount, "mountPath"), mount => Scalar(mount, "name"));
        string storeVolume = mounts[options.VoiceStore!];
        var volume = ((YamlSequenceNode)Node(deployment, "spec", "template", "spec", "volumes")).Children.Single(v => Scalar(v, "name") == storeVolume);
        Scalar(volume, "persistentVolumeClaim", "claimName").ShouldBe(Scalar(objects["PersistentVolumeClaim"], "metadata", "name"));
        ((YamlSequenceNode)Node(objects["PersistentVolumeClaim"], "spec", "accessModes")).Children.Select(mode => ((YamlScalarNode)mode).Value)
            .ShouldContain("ReadWriteMany", "every replica mounts the voice store");

        Scalar(hpa, "spec", "scaleTargetRef", "kind").ShouldBe("Deployment");
        Scalar(hpa, "spec", "scaleTargetRef", "name").ShouldBe(Scalar(deployment, "metadata", "name"));
        string metric = Scalar(hpa, "spec", "metrics", "0", "pods", "metric", "name");
        await using TestServer server = await TestServer.StartAsync();
        (await server.Http.GetStringAsync("metrics")).ShouldContain(metric + "{", Case.Sensitive, "the autoscaler's metric is one the server exports");
    }

    [Fact]
    public void The_systemd_unit_runs_a_valid_serve_and_waits_for_its_drain()
    {
        Dictionary<string, string> unit = File.ReadAllLines(Path.Combine(Deploy, "systemd", "pocket-tts.service"))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .GroupBy(line => line[..line.IndexOf('=', StringComparison.Ordinal)])
            .ToDictionary(group => group.Key, group => group.Last()[(group.Key.Length + 1)..]);
        string[] command = unit["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Path.GetFileName(command[0]).ShouldBe("pocket-tts");
        ServerOptions options = ParseServe(command.Skip(1));
        unit["KillSignal"].ShouldBe("SIGTERM");
        int.Parse(unit["TimeoutStopSec"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan((int)options.ShutdownTimeout.TotalSeconds);
        options.VoiceStore.ShouldStartWith("/var/lib/" + unit["StateDirectory"] + "/", Case.Sensitive, "systemd creates and owns the store's folder");
    }
}
