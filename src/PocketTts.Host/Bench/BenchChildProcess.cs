using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PocketTts.Generation;

namespace PocketTts.Host.Bench;

/// <summary>One backend's benchmark: its results, or why it failed.</summary>
internal sealed record BackendRun(string Backend, BenchResult? Result, string? Error);

/// <summary>
/// Runs one backend's benchmark in a child <c>pocket-tts bench</c> process. A process's peak working set never
/// goes down, so backends measured one after another in one process would each report the largest peak so far;
/// in a child of its own each backend's peak is its own, and one backend's threads, caches and JIT state cannot
/// disturb the next one's timings.
/// </summary>
internal static class BenchChildProcess
{
    public static async Task<BackendRun> RunAsync(string backend, BenchSettings settings, bool quantize, IReadOnlyList<string> pluginRoots,
                                                  Action<string> log, CancellationToken cancellationToken)
    {
        string json = Path.Combine(Path.GetTempPath(), $"pocket-tts-bench-{Guid.NewGuid():N}.json");
        ProcessStartInfo info = StartInfo();
        foreach (string argument in Arguments(backend, settings, quantize, pluginRoots, json))
            info.ArgumentList.Add(argument);
        try
        {
            using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{info.FileName}'.");
            log($"bench: {backend} in child process {process.Id}");
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            await output;
            string errors = (await error).Trim();
            if (process.ExitCode != 0 || !File.Exists(json))
            {
                string reason = errors.Length == 0 ? $"exit code {process.ExitCode}" : errors.Split('\n')[^1].Trim();
                return new BackendRun(backend, null, reason.StartsWith("error: ", StringComparison.Ordinal) ? reason["error: ".Length..] : reason);
            }
            BenchResult result = JsonSerializer.Deserialize<BenchResult[]>(await File.ReadAllTextAsync(json, cancellationToken))?.SingleOrDefault()
                ?? throw new InvalidDataException($"The child benchmark of '{backend}' wrote no result to {json}.");
            return new BackendRun(backend, result, null);
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>The same bench settings for one backend, results to <paramref name="json"/>.</summary>
    internal static IEnumerable<string> Arguments(string backend, BenchSettings settings, bool quantize, IReadOnlyList<string> pluginRoots, string json)
    {
        string[] arguments =
        [
            "bench", "--backend", backend,
            "--frames", settings.Frames.ToString(CultureInfo.InvariantCulture),
            "--text-tokens", settings.TextTokens.ToString(CultureInfo.InvariantCulture),
            "--voice-seconds", settings.VoiceSeconds.ToString("R", CultureInfo.InvariantCulture),
            "--repeat", settings.Repetitions.ToString(CultureInfo.InvariantCulture),
            "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "--streams", settings.Streams.ToString(CultureInfo.InvariantCulture),
            "--json", json,
        ];
        GenerationOptions sampling = settings.Sampling;
        IEnumerable<string> samplingArguments = new[]
        {
            sampling.LsdDecodeSteps == 1 ? null : new[] { "--sampler-decode-steps", sampling.LsdDecodeSteps.ToString(CultureInfo.InvariantCulture) },
            sampling.Temperature is { } temperature ? new[] { "--temperature", temperature.ToString("R", CultureInfo.InvariantCulture) } : null,
            sampling.NoiseClamp is { } clamp ? new[] { "--noise-clamp", clamp.ToString("R", CultureInfo.InvariantCulture) } : null,
        }.Where(pair => pair is not null).SelectMany(pair => pair!);
        return arguments.Concat(samplingArguments).Concat(settings.Model.Arguments)
            .Concat(quantize ? ["--quantize"] : [])
            .Concat(settings.TextStream ? ["--text-stream"] : [])
            .Concat(pluginRoots.SelectMany(root => new[] { "--plugins-dir", root }));
    }

    /// <summary>
    /// Starts this same host: its own executable when it runs as <c>pocket-tts</c> (a single-file app has no
    /// assembly path at all), otherwise (under <c>dotnet</c>, or inside another host such as a test runner)
    /// <c>dotnet pocket-tts.dll</c>.
    /// </summary>
    private static ProcessStartInfo StartInfo()
    {
#pragma warning disable IL3000 // empty in a single-file app, which is handled: it starts its own executable
        string assembly = typeof(BenchChildProcess).Assembly.Location;
#pragma warning restore IL3000
        string? process = Environment.ProcessPath;
        ProcessStartInfo info;
        if (process is not null && (assembly.Length == 0 || Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(assembly)))
        {
            info = new ProcessStartInfo(process);
        }
        else
        {
            string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
                ? process
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            info = new ProcessStartInfo(dotnet) { ArgumentList = { assembly } };
        }
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return info;
    }
}
