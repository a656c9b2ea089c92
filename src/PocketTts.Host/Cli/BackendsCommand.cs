using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PocketTts.Host.Plugins;

namespace PocketTts.Host.Cli;

/// <summary><c>pocket-tts backends</c>: every backend found, whether it can run here, and every plugin that failed.</summary>
internal static class BackendsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("backends", "List the compute backends found in the plugin folders and whether each can run here.\n\nExample:\n  pocket-tts backends");
        command.SetAction(parse =>
        {
            using var services = context.BuildServices(parse);
            var catalog = services.GetRequiredService<BackendCatalog>();
            Print(catalog, context.Output);
            return 0;
        });
        return command;
    }

    internal static void Print(BackendCatalog catalog, TextWriter output)
    {
        if (catalog.Backends.Count == 0)
            output.WriteLine("No backends found.");
        foreach (BackendEntry b in catalog.Backends.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            string status = b.Probe.IsAvailable ? "available" : "unavailable";
            output.WriteLine($"{b.Name,-12} {status,-12} {b.Plugin.Version ?? "-",-10} {b.Plugin.Folder}");
            output.WriteLine($"{"",-12} {b.Description}");
            if (!string.IsNullOrEmpty(b.Probe.Reason))
                output.WriteLine($"{"",-12} {(b.Probe.IsAvailable ? "" : "why: ")}{b.Probe.Reason}");
        }
        foreach (PluginInfo failed in catalog.Plugins.Where(p => !p.Loaded))
            output.WriteLine($"plugin failed to load: {failed.Folder}: {failed.Error}");
        foreach (BackendEntry b in catalog.Backends.Where(b => b.Provider is null))
            output.WriteLine($"backend failed: {b.Name} in {b.Plugin.Folder}: {b.Probe.Reason}");
    }
}
