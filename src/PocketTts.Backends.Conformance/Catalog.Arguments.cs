using PocketTts.Tensors;

namespace PocketTts.Backends.Conformance;

/// <summary>
/// Calls the contract forbids: each must throw an <see cref="ArgumentException"/> (or the subclass the contract
/// names), so that a caller's mistake is an error on every backend, never silently wrong audio or a native crash.
/// </summary>
internal static partial class Catalog
{
    private static IEnumerable<ConformanceCase> Arguments()
    {
        yield return Refused("Constant", "with too few values", c => c.Backend.Constant([1f, 2f, 3f], new TensorShape(2, 2)));
        yield return Refused("Write", "with too many values", c => c.Backend.Write(new float[5], c.Allocate(2, 2)));
        yield return Refused("Read", "into too small a buffer", c => c.Backend.Read(c.Allocate(2, 2), new float[3]));
        yield return Refused("Fill", "a tensor of another backend", c => c.Backend.Fill(new ForeignTensor(), 0f));
        yield return Refused("CopySlice", "beyond the source", c => c.Backend.CopySlice(c.Allocate(3, 4), 1, 3, c.Allocate(3, 3), 0, 2));
        yield return Refused("CopySlice", "between shapes that differ off the axis", c => c.Backend.CopySlice(c.Allocate(3, 4), 0, 0, c.Allocate(3, 5), 0, 1));
        yield return Refused("CopySlice", "onto its source", c =>
        {
            ITensor t = c.Allocate(4, 4);
            c.Backend.CopySlice(t, 0, 0, t, 2, 1);
        });
        yield return Refused("Transpose", "into the wrong shape", c => c.Backend.Transpose(c.Allocate(2, 3), c.Allocate(2, 3)));
        yield return Refused("Transpose", "in place", c =>
        {
            ITensor t = c.Allocate(3, 3);
            c.Backend.Transpose(t, t);
        });
        yield return Refused("PackLinear", "with scales of the wrong length", c =>
            c.Own(c.Backend.PackLinear(new LinearWeights { OutFeatures = 2, InFeatures = 2, QuantizedWeight = new sbyte[4], Scales = new float[1] })));
        yield return Refused("PackConv1d", "with weights of the wrong length", c =>
            c.Own(c.Backend.PackConv1d(new ConvGeometry(2, 3, 3), new float[17], default)));
        yield return Refused("PackConvTranspose1d", "with a dilation", c =>
            c.Own(c.Backend.PackConvTranspose1d(new ConvGeometry(2, 2, 3, Dilation: 2), new float[12], default)));
        yield return Refused("Linear", "on x of the wrong width", c =>
        {
            IPackedLinear w = c.Own(c.Backend.PackLinear(new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = new float[12] }));
            c.Backend.Linear(c.Allocate(2, 5), w, c.Allocate(2, 4));
        });
        yield return Refused("Linear", "into the wrong shape", c =>
        {
            IPackedLinear w = c.Own(c.Backend.PackLinear(new LinearWeights { OutFeatures = 4, InFeatures = 3, Weight = new float[12] }));
            c.Backend.Linear(c.Allocate(2, 3), w, c.Allocate(2, 5));
        });
        yield return Refused("Conv1d", "into the wrong length", c =>
        {
            IPackedConv w = c.Own(c.Backend.PackConv1d(new ConvGeometry(2, 3, 3), new float[18], default));
            c.Backend.Conv1d(c.Allocate(2, 10), w, c.Allocate(3, 10));
        });
        yield return Refused("Conv1d", "with transposed weights", c =>
        {
            IPackedConv w = c.Own(c.Backend.PackConvTranspose1d(new ConvGeometry(2, 3, 3), new float[18], default));
            c.Backend.Conv1d(c.Allocate(2, 10), w, c.Allocate(3, 8));
        });
        yield return Refused("LayerNorm", "with a weight but no bias", c => c.Backend.LayerNorm(c.Allocate(2, 4), c.Allocate(4), null, 1e-5f, c.Allocate(2, 4)));
        yield return Refused("VarianceNorm", "with alpha of the wrong length", c => c.Backend.VarianceNorm(c.Allocate(2, 4), c.Allocate(3), 1e-5f, c.Allocate(2, 4)));
        yield return Refused("Unary", "into the wrong shape", c => c.Backend.Unary(UnaryOp.Gelu, c.Allocate(2, 4), c.Allocate(4, 2)));
        yield return Refused("Binary", "with b that does not broadcast", c => c.Backend.Binary(BinaryOp.Add, c.Allocate(2, 4), c.Allocate(3), c.Allocate(2, 4)));
        yield return Refused("Rope", "with an odd head dimension", c => c.Backend.Rope(c.Allocate(2, 6), 2, 0, 10_000f, c.Allocate(2, 6)));
        yield return Refused("CreateKvCache", "with a window beyond the capacity", c => c.Own(c.Backend.CreateKvCache(2, 4, 8, window: 9)));
        yield return Refused("Attention", "beyond a linear cache's capacity", c =>
        {
            IKvCache cache = c.Own(c.Backend.CreateKvCache(1, 4, 4, null));
            c.Backend.Attention(c.Allocate(2, 4), c.Allocate(2, 4), c.Allocate(2, 4), cache, 3, c.Allocate(2, 4));
        });
        yield return Refused("Attention", "into q", c =>
        {
            IKvCache cache = c.Own(c.Backend.CreateKvCache(1, 4, 4, null));
            ITensor q = c.Allocate(1, 4);
            c.Backend.Attention(q, c.Allocate(1, 4), c.Allocate(1, 4), cache, 0, q);
        });
        yield return Refused("ReadKvCache", "beyond the capacity", c =>
        {
            IKvCache cache = c.Own(c.Backend.CreateKvCache(1, 2, 3, null));
            c.Backend.ReadKvCache(cache, 4, new float[8], new float[8]);
        });
        yield return Refused("ReplaceNaN", "with fill of the wrong length", c => c.Backend.ReplaceNaN(c.Allocate(2, 4), c.Allocate(2), c.Allocate(2, 4)));
        yield return Refused("TimestepEmbedding", "into the wrong width", c => c.Backend.TimestepEmbedding(c.Allocate(3, 1), c.Allocate(3), c.Allocate(3, 5)));

        yield return Case("Embedding", "refuses an id outside the table", c =>
        {
            ITensor table = c.Tensor([0f, 1f, 10f, 11f, 20f, 21f], 3, 2);
            c.Throws<ArgumentOutOfRangeException>(() => c.Backend.Embedding(table, [0, 3], c.Allocate(2, 2)), "id 3 of a 3-row table");
            c.Throws<ArgumentOutOfRangeException>(() => c.Backend.Embedding(table, [-1], c.Allocate(1, 2)), "id -1");
            return c.Outcome();
        });
    }

    private static ConformanceCase Refused(string operation, string call, Action<CaseContext> body) =>
        Case(operation, $"refuses a call {call}", c =>
        {
            c.Throws<ArgumentException>(() => body(c), operation + " " + call);
            return c.Outcome();
        });

    /// <summary>A tensor no backend created.</summary>
    private sealed class ForeignTensor : ITensor
    {
        public TensorShape Shape => new(1);

        public void Dispose()
        {
        }
    }
}
