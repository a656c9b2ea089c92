using System.Buffers.Binary;
using System.Text.Json;
using PocketTts.Backends;
using PocketTts.Config;
using PocketTts.IO;
using PocketTts.Weights;

namespace PocketTts.Host.Bench;

/// <summary>
/// The benchmark's random model as the files a model loads from (<see cref="PocketTtsModel.LoadAsync"/>, so that bench
/// measures the load and generation users run; graph backends export their graphs from them): the model's
/// configuration, a safetensors file of <see cref="SyntheticWeights"/> and a tokenizer of the configuration's
/// vocabulary size, written once into a cache folder and reused while they are there (named by the model and its
/// parameter count, so that another architecture under the same name gets its own file). The weights are streamed
/// tensor by tensor, so writing them holds one tensor at a time.
/// </summary>
internal static class SyntheticModelFiles
{
    public static ModelSource Prepare(BenchModel model, SyntheticWeights weights, string folder, bool quantize)
    {
        Directory.CreateDirectory(folder);
        string config = model.ConfigFile ?? BuiltInConfigFiles.Materialize(model.Name, folder);
        string path = Path.Combine(folder, $"{model.Name}-{weights.Parameters}-synthetic.safetensors");
        if (!File.Exists(path))
            Write(weights, path);
        int pieces = model.Config.FlowLm.LookupTable.NBins;
        string tokenizer = Path.Combine(folder, $"tokenizer-{pieces}-synthetic-sentences.json");
        if (!File.Exists(tokenizer))
            WriteTokenizer(pieces, tokenizer);
        return new ModelSource(config, path, tokenizer, quantize) { Language = model.ConfigFile is null ? model.Name : null };
    }

    /// <summary>
    /// The word of token <paramref name="id"/> (5 and above): a glottal stop, a letter without case, then the id in
    /// letters, so that neither the capital the reference gives a text's first letter nor a normaliser changes it.
    /// </summary>
    public static string Word(int id)
    {
        var letters = new System.Text.StringBuilder("\u0294");
        for (int rest = id; rest > 0; rest /= 26)
            letters.Append((char)('a' + (rest % 26)));
        return letters.ToString();
    }

    /// <summary>
    /// A <c>tokenizer.json</c> of <paramref name="pieces"/> made-up pieces (<c>&lt;unk&gt;</c>, <c>▁</c>, the sentence
    /// marks <c>.</c>, <c>!</c>, <c>?</c>, then <c>▁</c> + <see cref="Word"/>): the stage measurements speak random token
    /// ids, and the streamed-text latency (<see cref="TextStreamLatency"/>) writes sentences of those words, which the
    /// reference's sentence splitting cuts at the full stops as it cuts real text.
    /// </summary>
    private static void WriteTokenizer(int pieces, string path)
    {
        using OutputFile file = OutputFile.Open(path);
        using (var json = new Utf8JsonWriter(file.Stream))
        {
            json.WriteStartObject();
            json.WriteStartObject("pre_tokenizer");
            json.WriteString("type", "Metaspace");
            json.WriteString("replacement", "\u2581");
            json.WriteString("prepend_scheme", "always");
            json.WriteBoolean("split", true);
            json.WriteEndObject();
            json.WriteStartObject("model");
            json.WriteString("type", "Unigram");
            json.WriteNumber("unk_id", 0);
            json.WriteStartArray("vocab");
            for (int id = 0; id < pieces; id++)
            {
                json.WriteStartArray();
                json.WriteStringValue(id switch { 0 => "<unk>", 1 => "\u2581", 2 => ".", 3 => "!", 4 => "?", _ => "\u2581" + Word(id) });
                json.WriteNumberValue(-1.0);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        file.Commit();
    }

    private static void Write(SyntheticWeights weights, string path)
    {
        string[] names = [.. weights.Names.Order(StringComparer.Ordinal)];
        var shapes = new Dictionary<string, int[]>();
        foreach (string name in names)
        {
            weights.TryGet(name, out WeightTensor tensor);
            shapes[name] = tensor.Shape;
        }
        byte[] header = Header(names, shapes);
        using (OutputFile file = OutputFile.Open(path))
        {
            FileStream stream = file.Stream;
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (string name in names)
            {
                weights.TryGet(name, out WeightTensor tensor);
                stream.Write(tensor.Data.Span);
            }
            file.Commit();
        }
    }

    /// <summary>The safetensors JSON header (F32 tensors in <paramref name="names"/> order, no gaps), padded to 8 bytes.</summary>
    private static byte[] Header(string[] names, Dictionary<string, int[]> shapes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            long offset = 0;
            foreach (string name in names)
            {
                long bytes = 4 * shapes[name].Aggregate(1L, (n, d) => n * d);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in shapes[name])
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        buffer.ToArray().CopyTo(header, 0);
        header.AsSpan((int)buffer.Length).Fill((byte)' ');
        return header;
    }
}
