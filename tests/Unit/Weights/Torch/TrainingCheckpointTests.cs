using System.IO.Compression;
using System.Text;
using PocketTts.Tests.Unit.Infrastructure;
using PocketTts.Weights;
using PocketTts.Weights.Torch;

namespace PocketTts.Tests.Unit.Weights.Torch;

/// <summary>
/// Training checkpoints written by torch.save (scripts/fixtures/make_training_checkpoint.py, Debian's torch 1.13):
/// "model" holds the tiny model's FlowLM with its transformer weights shifted by 0.25 and no Mimi, "ema" the exact
/// transformer weights, so the EMA laid over the model plus Mimi from the whole-model file is the tiny model again.
/// </summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    private static readonly string Checkpoint = RepoPaths.Fixture("training_checkpoint.pt");
    private static readonly string Tiny = RepoPaths.Fixture(Path.Join("tiny", "model.safetensors"));
    private readonly string _folder = Directory.CreateTempSubdirectory("pocket-tts-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_ema_laid_over_the_model_with_mimi_from_the_whole_model_file_is_the_model_again()
    {
        string output = Path.Join(_folder, "model.safetensors");

        TrainingCheckpoint.WriteModelFile(Checkpoint, Tiny, output);

        using var written = SafeTensorsFile.Open(output);
        using var tiny = SafeTensorsFile.Open(Tiny);
        written.Names.Order(StringComparer.Ordinal).ShouldBe(tiny.Names.Order(StringComparer.Ordinal));
        foreach (string name in tiny.Names)
        {
            written[name].DType.ShouldBe(tiny[name].DType, name);
            written[name].Shape.ShouldBe(tiny[name].Shape, name);
            written[name].Data.ToArray().ShouldBe(tiny[name].Data.ToArray(), name);
        }
    }

    [Fact]
    public void Without_the_ema_the_trained_weights_are_the_models()
    {
        string output = Path.Join(_folder, "model.safetensors");

        TrainingCheckpoint.WriteModelFile(Checkpoint, Tiny, output, useEma: false);

        using var written = SafeTensorsFile.Open(output);
        using var tiny = SafeTensorsFile.Open(Tiny);
        string trained = tiny.Names.First(n => n.StartsWith("flow_lm.transformer.", StringComparison.Ordinal) && tiny[n].DType == TensorDType.F32);
        float[] expected = [.. WeightConversion.ToFloat32(tiny[trained]).Select(v => v + 0.25f)];
        WeightConversion.ToFloat32(written[trained]).ShouldBe(expected);
        written["flow_lm.bos_before_voice"].Data.ToArray().ShouldBe(tiny["flow_lm.bos_before_voice"].Data.ToArray());
    }

    [Fact]
    public void A_checkpoint_without_mimi_needs_a_whole_model_file()
    {
        TrainingCheckpoint.HasMimi(Checkpoint).ShouldBeFalse();

        var e = Should.Throw<InvalidDataException>(() => TrainingCheckpoint.WriteModelFile(Checkpoint, null, Path.Join(_folder, "m.safetensors")));

        e.Message.ShouldContain("no mimi.* weights");
        File.Exists(Path.Join(_folder, "m.safetensors")).ShouldBeFalse();
    }

    [Fact]
    public void A_transposed_view_is_refused_rather_than_read_row_major()
    {
        var e = Should.Throw<InvalidDataException>(() =>
            TrainingCheckpoint.WriteModelFile(RepoPaths.Fixture("training_checkpoint_transposed.pt"), Tiny, Path.Join(_folder, "m.safetensors")));

        e.Message.ShouldContain("'flow_lm.bos_before_voice' is not contiguous");
    }

    [Fact]
    public void A_pickle_that_names_any_other_global_is_refused_before_it_is_called()
    {
        // What a malicious checkpoint does: GLOBAL os.system, then REDUCE with a command.
        byte[] pickle = [0x80, 0x02, .. "cos\nsystem\n"u8, .. "X\u0004\u0000\u0000\u0000true"u8, 0x85, (byte)'R', (byte)'.'];
        string path = Zip("evil", pickle);

        var e = Should.Throw<InvalidDataException>(() => TrainingCheckpoint.HasMimi(path));

        e.Message.ShouldContain("'os.system'");
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'}' }, "ends in the middle of an instruction")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'s', (byte)'.' }, "pops from an empty stack")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'h', 7, (byte)'.' }, "recalls an object it never stored")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'i', (byte)'.' }, "opcode 0x69")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N', (byte)'.' }, "holds no dict of state dicts")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'}', (byte)'.' }, "holds no 'model' weights")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 0xff, 0xff, 0xff, 0x7f, (byte)'.' }, "ends in the middle of an instruction")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 2, 0, 0, 0, 0xff, 0xfe, (byte)'.' }, "not valid UTF-8")]
    public void Malformed_pickles_are_clear_errors(byte[] pickle, string message)
    {
        string path = Zip("bad", pickle);

        Should.Throw<InvalidDataException>(() => TrainingCheckpoint.HasMimi(path)).Message.ShouldContain(message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_says_what_torch_save_writes()
    {
        string path = Path.Join(_folder, "old.pt");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("not a zip at all"));

        Should.Throw<InvalidDataException>(() => TrainingCheckpoint.HasMimi(path)).Message.ShouldContain("torch.save writes a zip file");
    }

    [Fact]
    public void A_fifo_is_refused_before_it_is_opened()
    {
        string fifo = Path.Join(_folder, "run.pt");
        SpecialFiles.Mkfifo(fifo);

        Should.Throw<InvalidDataException>(() => TrainingCheckpoint.HasMimi(fifo)).Message.ShouldContain("not a regular file");
    }

    [Fact]
    public void A_storage_shorter_than_its_tensor_is_refused()
    {
        // The fixture's pickle with its first storage entry cut to 4 bytes.
        string path = Path.Join(_folder, "cut.pt");
        using (var source = ZipFile.OpenRead(Checkpoint))
        using (var target = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using Stream from = entry.Open();
                using Stream to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName.EndsWith("/data/0", StringComparison.Ordinal))
                    to.Write(new byte[4]);
                else
                    from.CopyTo(to);
            }
        }

        var e = Should.Throw<InvalidDataException>(() => TrainingCheckpoint.WriteModelFile(path, Tiny, Path.Join(_folder, "m.safetensors")));

        e.Message.ShouldContain("storage '0' holds 4 bytes");
    }

    private string Zip(string name, byte[] pickle)
    {
        string path = Path.Join(_folder, name + ".pt");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using Stream stream = zip.CreateEntry(name + "/data.pkl").Open();
        stream.Write(pickle);
        return path;
    }
}
