using System.CommandLine;
using PocketTts.Host.Plugins;

namespace PocketTts.Host.Cli;

/// <summary>
/// <c>pocket-tts plugins list|add|remove</c>: the built-in and installed backend plugins, and installing one from a
/// NuGet package into the user's plugins folder (<see cref="PluginSearchPath.UserDirectory"/>).
/// </summary>
internal static class PluginsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("plugins", $"""
            List, install and remove backend plugins. Installed plugins live in the user's plugins folder
            ({PluginSearchPath.HomeVariable}/plugins; by default ~/.local/share/pocket-tts/plugins, %LOCALAPPDATA%\pocket-tts\plugins on Windows)
            and replace a built-in plugin that provides the same backend.

            Examples:
              pocket-tts plugins list
              pocket-tts plugins add PocketTts.Backends.Torch
              pocket-tts plugins add PocketTts.Backends.Onnx --version 0.1.0 --source ./packages
              pocket-tts plugins remove PocketTts.Backends.Torch
            """);
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(Remove(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List the built-in plugins, those installed with 'plugins add', and their versions.");
        command.SetAction(parse =>
        {
            string user = PluginSearchPath.UserDirectory(context.GetEnvironment);
            context.Output.WriteLine($"{"kind",-10} {"plugin",-28} {"version",-12} folder");
            Print(context.Output, "built-in", PluginSearchPath.BuiltInDirectory);
            Print(context.Output, "installed", user);
            return 0;
        });
        return command;
    }

    private static void Print(TextWriter output, string kind, string root)
    {
        foreach (PluginInfo plugin in BackendPluginLoader.LoadAll([root]).Plugins)
        {
            // The informational version carries the commit after a '+': the package version is what a user compares.
            string version = plugin.Version?.Split('+')[0] ?? "-";
            output.WriteLine($"{kind,-10} {Path.GetFileName(plugin.Folder),-28} {version,-12} {plugin.Folder}");
            if (plugin.Error is not null)
                output.WriteLine($"{"",-10} failed to load: {plugin.Error}");
        }
    }

    private static Command Add(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The plugin's NuGet package id, e.g. PocketTts.Backends.Torch." };
        var version = new Option<string?>("--version") { Description = "The package version (default: the highest stable one)." };
        var source = new Option<string?>("--source") { Description = "The feed to take it from: a URL or a local folder (default: the sources of nuget.config)." };
        var command = new Command("add", "Install a backend plugin from a NuGet package, after checking that this host can load it.") { id, version, source };
        command.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            var installer = new PluginInstaller(PluginSearchPath.UserDirectory(context.GetEnvironment));
            InstalledPlugin installed = await installer.AddAsync(parse.GetValue(id)!, parse.GetValue(version), parse.GetValue(source), Directory.GetCurrentDirectory(), cancellationToken);
            await context.Output.WriteLineAsync($"installed {installed.Id} {installed.Version} into {installed.Folder}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The package id of an installed plugin (see 'pocket-tts plugins list')." };
        var command = new Command("remove", "Delete a plugin installed with 'plugins add'.") { id };
        command.SetAction((parse, cancellationToken) => context.RunAsync(() =>
        {
            string folder = new PluginInstaller(PluginSearchPath.UserDirectory(context.GetEnvironment)).Remove(parse.GetValue(id)!);
            context.Output.WriteLine($"removed {folder}");
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }
}
