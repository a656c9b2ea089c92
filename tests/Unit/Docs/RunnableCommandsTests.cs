using System.Buffers.Binary;
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
/// the default voice's recording (ref.wav). The folder holds <c>ref.wav</c>, <c>story.txt</c> and a
/// <c>model.safetensors</c> (the tiny weights). Each command must exit 0 and write the files it promises.
/// </summary>
public sealed class RunnableCommandsTests : IAsyncLifetime, IDisposable
{
    private const string Functions = """
        set -euo pipefail
        pocket-tts() {
          local args=() skip=false model=false a
          for a in "$@"; do
            if $skip; then skip=false; continue; fi
            case "$a" in
              --language) skip=true; continue ;;
              generate|export-voice|download) model=true ;;
            esac
            args+=("$a")
          done
          if $model; then args+=(--config "$TINY_CONFIG"); fi
          dotnet "$POCKET_TTS_DLL" "${args[@]}"
        }
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
    ];

    private static void ShouldBeWritten(string path, string context)
    {
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
