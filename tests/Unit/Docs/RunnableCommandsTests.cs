using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PocketTts.Audio;
using PocketTts.Config;
using PocketTts.Tests.Unit.Cli;
using PocketTts.Tests.Unit.Hub;
using PocketTts.Tests.Unit.Infrastructure;

namespace PocketTts.Tests.Unit.Docs;

/// <summary>
/// Runs every <c>```bash runnable</c> block of README.md and docs/*.md with bash, in a fresh folder, as a reader would
/// paste it, with three substitutions that keep it offline and fast: <c>pocket-tts</c> is the built command (a shell
/// function, so the README's <c>alias</c> line is inert), the tiny test model stands in for every model
/// (<c>--language NAME</c> is dropped and <c>--config</c> added), and the Hugging Face endpoint is a loopback fake hosting
/// the default voice's recording (ref.wav); the functions below also stand in for a server, ALSA and <c>dotnet run</c>.
/// The folder holds <c>ref.wav</c> (also as <c>my_voice.wav</c>), <c>story.txt</c>, a <c>model.safetensors</c> (the
/// tiny weights) and <c>runs/step_20000.pt</c> (a tiny training checkpoint). Each command must exit 0 and write the
/// files it promises.
/// </summary>
public sealed class RunnableCommandsTests : IAsyncLifetime, IDisposable
{
    // `pocket-tts serve` starts in the background on $SERVE_PORT, with voices/alba.wav standing in for the predefined
    // voice the tiny model cannot use, and the block goes on once it answers /ready (the EXIT trap stops it); `curl`
    // reaches it at the docs' localhost:8000. `dotnet run --project src/PocketTts.Host -c Release -- ARGS` is
    // `pocket-tts ARGS` (same program, no second build); `aplay` keeps what it would play in aplay.wav and fails
    // unless it is a WAV stream; `llm` stands for a language model, writing a short story word by word.
    private const string Functions = """
        set -euo pipefail
        server=
        trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT
        pocket-tts() {
          local args=() skip=false model=false a
          for a in "$@"; do
            if $skip; then skip=false; continue; fi
            case "$a" in
              --language) skip=true; continue ;;
              generate|export-voice|download|export-onnx|serve) model=true ;;
            esac
            args+=("$a")
          done
          if $model; then args+=(--config "$TINY_CONFIG"); fi
          if [ "${args[0]:-}" = serve ]; then
            command dotnet "$POCKET_TTS_DLL" "${args[@]}" --voices-dir voices --host 127.0.0.1 --port "$SERVE_PORT" >serve.log 2>&1 &
            server=$!
            for _ in $(seq 1 600); do
              command curl -sf "http://127.0.0.1:$SERVE_PORT/ready" >/dev/null 2>&1 && return 0
              kill -0 "$server" 2>/dev/null || { cat serve.log >&2; return 1; }
              sleep 0.1
            done
            return 1
          fi
          command dotnet "$POCKET_TTS_DLL" "${args[@]}"
        }
        dotnet() {
          if [ "${1:-} ${2:-} ${3:-} ${4:-} ${5:-} ${6:-}" = "run --project src/PocketTts.Host -c Release --" ]; then
            shift 6; pocket-tts "$@"
          else
            command dotnet "$@"
          fi
        }
        curl() { command curl --fail-with-body "${@//localhost:8000/127.0.0.1:$SERVE_PORT}"; }
        aplay() { cat > aplay.wav; [ "$(head -c 4 aplay.wav)" = RIFF ]; }
        llm() { for word in Once upon a time, a small model spoke. It was quick.; do printf '%s ' "$word"; sleep 0.05; done; }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("pocket-tts-docs-").FullName;
    private FakeHub _hub = null!;

    public static TheoryData<string> Blocks() => [.. RunnableBlock.In(RepoPaths.Root).Select(b => b.ToString())];

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        byte[] recording = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "ref.wav"));
        string defaultVoice = LanguageCatalog.CustomWeightsVoice["hf://kyutai/tts-voices/".Length..];
        _hub.Add(new HostedFile("kyutai/tts-voices", defaultVoice, recording, Lfs: true));
    }

    public Task DisposeAsync() => _hub.DisposeAsync().AsTask();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_docs_have_runnable_blocks_and_each_has_commands()
    {
        RunnableBlock[] blocks = [.. RunnableBlock.In(RepoPaths.Root)];
        blocks.Select(b => b.File).ShouldContain("README.md");
        blocks.ShouldAllBe(b => b.Commands.Count > 0);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void The_commands_run_and_write_what_they_promise(string where)
    {
        RunnableBlock block = RunnableBlock.In(RepoPaths.Root).Single(b => b.ToString() == where);
        string work = Directory.CreateDirectory(Path.Combine(_folder, "work")).FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "ref.wav"), Path.Combine(work, "ref.wav"));
        File.Copy(RepoPaths.Fixture("tiny/model.safetensors"), Path.Combine(work, "model.safetensors"));
        File.WriteAllText(Path.Combine(work, "story.txt"), "Once upon a time, a small model spoke. It was quick.\n");
        File.Copy(Path.Combine(RepoPaths.Root, "ref.wav"), Path.Combine(work, "my_voice.wav"));
        File.Copy(Path.Combine(RepoPaths.Root, "ref.wav"), Path.Combine(Directory.CreateDirectory(Path.Combine(work, "voices")).FullName, "alba.wav"));
        Directory.CreateDirectory(Path.Combine(work, "runs"));
        File.Copy(RepoPaths.Fixture("training_checkpoint.pt"), Path.Combine(work, "runs", "step_20000.pt"));

        var script = new System.Text.StringBuilder();
        script.AppendLine(Functions);
        foreach ((string name, string value) in Environment())
            script.AppendLine($"export {name}={Quote(value)}");
        foreach (string command in block.Commands)
            script.AppendLine($"echo {Quote("### " + command)} >&2").AppendLine(command);
        string scriptFile = Path.Combine(_folder, "run.sh");
        File.WriteAllText(scriptFile, script.ToString());

        (int exitCode, string log) = ProcessRunner.Run("bash", scriptFile, work, TimeSpan.FromMinutes(5));

        exitCode.ShouldBe(0, $"{block}: the last '###' line is the command that failed\n{log}");
        foreach (string file in block.Commands.SelectMany(RunnableBlock.PromisedFiles))
            ShouldBeWritten(Path.Combine(work, file), $"{block}: {file}\n{log}");
    }

    private IEnumerable<(string Name, string Value)> Environment() =>
    [
        ("POCKET_TTS_DLL", Path.Combine(AppContext.BaseDirectory, "pocket-tts.dll")),
        ("TINY_CONFIG", CliTestHost.TinyConfig),
        ("HF_ENDPOINT", _hub.Endpoint.ToString()),
        ("HF_HUB_OFFLINE", "0"),
        ("HF_HOME", Path.Combine(_folder, "hf")),
        ("POCKET_TTS_CACHE", Path.Combine(_folder, "cache")),
        ("POCKET_TTS_HOME", Path.Combine(_folder, "home")),
        ("SERVE_PORT", FreePort().ToString(CultureInfo.InvariantCulture)),
    ];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void ShouldBeWritten(string path, string context)
    {
        if (Directory.Exists(path))
        {
            Directory.EnumerateFiles(path).ShouldNotBeEmpty(context);
            return;
        }
        File.Exists(path).ShouldBeTrue(context);
        byte[] bytes = File.ReadAllBytes(path);
        if (path.EndsWith(".wav", StringComparison.Ordinal))
        {
            AudioFileReader.Read(bytes, path).Samples.Length.ShouldBeGreaterThan(0, context);
        }
        else if (path.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            bytes.Length.ShouldBeGreaterThan(9, context);
            bytes[8].ShouldBe((byte)'{', context);
            BinaryPrimitives.ReadUInt64LittleEndian(bytes).ShouldBeLessThan((ulong)bytes.Length, context);
        }
        else
        {
            bytes.ShouldNotBeEmpty(context);
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
