namespace PocketTts.Weights;

/// <summary>
/// Strict, named access to a model's tensors, like candle's <c>VarBuilder</c>: <see cref="Scope(string)"/> descends
/// one level of the key tree, <see cref="GetFloats"/> returns a tensor after checking its shape, and
/// <see cref="EnsureAllConsumed"/> reports every tensor no module asked for (the check PyTorch's
/// <c>strict=True</c> makes).
/// </summary>
public sealed class WeightScope
{
    private readonly IWeightSource _source;
    private readonly HashSet<string> _consumed;
    private readonly string _prefix;

    /// <summary>Creates the root scope over <paramref name="source"/>.</summary>
    public WeightScope(IWeightSource source) : this(source, new HashSet<string>(StringComparer.Ordinal), "")
    {
    }

    private WeightScope(IWeightSource source, HashSet<string> consumed, string prefix)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _consumed = consumed;
        _prefix = prefix;
    }

    /// <summary>The key prefix of this scope, e.g. <c>flow_lm.transformer.</c>.</summary>
    public string Prefix => _prefix;

    /// <summary>A child scope: <c>Scope("decoder").Scope("model")</c> reads keys <c>decoder.model.*</c>.</summary>
    public WeightScope Scope(string name) => new(_source, _consumed, _prefix + name + ".");

    /// <summary>A child scope for an item of a list, e.g. <c>layers.3</c>.</summary>
    public WeightScope Scope(string name, int index) => Scope(name + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when the tensor <paramref name="name"/> exists in this scope.</summary>
    public bool Contains(string name) => _source.TryGet(_prefix + name, out _);

    /// <summary>Gets a tensor, checking its shape, and marks it consumed.</summary>
    /// <exception cref="InvalidDataException">The tensor is missing or has another shape; the message gives the full key and both shapes.</exception>
    public WeightTensor Get(string name, params int[] shape)
    {
        string key = _prefix + name;
        if (!_source.TryGet(key, out WeightTensor tensor))
            throw new InvalidDataException($"Missing tensor '{key}' (expected shape [{string.Join(", ", shape)}]).");
        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
            throw new InvalidDataException($"Tensor '{key}' has shape {tensor.ShapeText}, expected [{string.Join(", ", shape)}].");
        _consumed.Add(key);
        return tensor;
    }

    /// <summary>Gets a float tensor (F32, F16 or BF16 converted to float32), checking its shape.</summary>
    /// <exception cref="InvalidDataException">Missing, mis-shaped, or not a float tensor.</exception>
    public float[] GetFloats(string name, params int[] shape) => WeightConversion.ToFloat32(Get(name, shape));

    /// <summary>Throws when some tensor of the source was never read through any scope of this tree.</summary>
    /// <exception cref="InvalidDataException">Lists the unexpected tensors.</exception>
    public void EnsureAllConsumed()
    {
        var unused = _source.Names.Where(n => !_consumed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
        {
            string list = string.Join(", ", unused.Take(10)) + (unused.Count > 10 ? $", … ({unused.Count} in all)" : "");
            throw new InvalidDataException($"Unexpected tensor(s) in the weights: {list}.");
        }
    }
}
