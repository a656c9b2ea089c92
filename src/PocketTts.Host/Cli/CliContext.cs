using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Host.Plugins;

namespace PocketTts.Host.Cli;

/// <summary>What a command needs from its environment: output streams and the service container.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, Func<string, string?> environment)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public string? GetEnvironment(string name) => environment(name);

    /// <summary>Builds the service container for one command invocation, with the plugins the options point at.</summary>
    public ServiceProvider BuildServices(ParseResult parse)
    {
        var roots = PluginSearchPath.Resolve(parse.GetValue(GlobalOptions.PluginsDir) ?? [], environment(PluginSearchPath.EnvironmentVariable));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBackendPlugins(roots);
        return services.BuildServiceProvider();
    }
}
