using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace PocketTts.Weights.Torch;

/// <summary>
/// Reads the pickle inside a <c>torch.save</c> file the way <c>torch.load(weights_only=True)</c> does: only plain
/// data (None, booleans, integers, floats, strings, bytes, lists, tuples, dicts) and the few objects a state dict
/// needs — <c>collections.OrderedDict</c>, tensors rebuilt by <c>torch._utils._rebuild_tensor_v2</c> or
/// <c>_rebuild_parameter</c> from storages named by persistent ids. Any other global is refused before anything is
/// built from it, so a checkpoint cannot run code or make this reader allocate more than its own size allows.
/// Protocols 2 to 5 (<c>torch.save</c> writes 2).
/// </summary>
internal sealed class TorchPickle
{
    private const int MaxMemo = 1 << 24;

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly string _name;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private TorchPickle(ReadOnlyMemory<byte> bytes, string name) => (_bytes, _name) = (bytes, name);

    /// <summary>The object a pickle stream holds.</summary>
    /// <exception cref="InvalidDataException">The stream is malformed or holds something a state dict does not.</exception>
    public static object? Load(ReadOnlyMemory<byte> bytes, string name) => new TorchPickle(bytes, name).Run();

    private ReadOnlySpan<byte> Span => _bytes.Span;

    private object? Run()
    {
        while (true)
        {
            byte op = Byte();
            switch (op)
            {
                case 0x80: // PROTO
                    if (Byte() is < 2 or > 5)
                        throw Bad("uses a pickle protocol other than 2 to 5");
                    break;
                case 0x95: // FRAME: a length prefix only
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1)
                        throw Bad("ends with a malformed stack");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(Long(Take(Byte()))); break; // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': Push(Utf8(Take(Length32()))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(Byte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(Length64()))); break; // BINUNICODE8
                case (byte)'B': Push(Take(Length32()).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(Byte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(Length64()).ToArray()); break; // BINBYTES8
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case (byte)'t': Push(PopMark().ToArray()); break;
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86: { object? b = Pop(), a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)'a': { object? item = Pop(); ListOnTop().Add(item); break; }
                case (byte)'e': { List<object?> items = PopMark(); ListOnTop().AddRange(items); break; }
                case (byte)'s': { object? value = Pop(), key = Pop(); DictOnTop().Set(key, value); break; }
                case (byte)'u': SetItems(); break;
                case (byte)'q': Memo(Byte()); break; // BINPUT
                case (byte)'r': Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
                case 0x94: Memo(_memo.Count); break; // MEMOIZE
                case (byte)'h': Push(Recall(Byte())); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'c': Push(Global(Line(), Line())); break; // GLOBAL
                case 0x93: { string qualified = Text(Pop()), module = Text(Pop()); Push(Global(module, qualified)); break; } // STACK_GLOBAL
                case (byte)'R': { object? args = Pop(), callable = Pop(); Push(Reduce(callable, args)); break; }
                case (byte)'b': Build(); break;
                case (byte)'Q': Push(PersistentLoad(Pop())); break; // BINPERSID
                default:
                    throw Bad($"uses pickle opcode 0x{op:x2}, which a state dict does not");
            }
        }
    }

    private void SetItems()
    {
        List<object?> items = PopMark();
        if (items.Count % 2 != 0)
            throw Bad("has a dict with a key and no value");
        PickleDict dict = DictOnTop();
        for (int i = 0; i < items.Count; i += 2)
            dict.Set(items[i], items[i + 1]);
    }

    // torch.nn.Module.state_dict() is an OrderedDict whose _metadata (versions of each module) comes as BUILD state:
    // it says nothing about the tensors, so it is dropped.
    private void Build()
    {
        Pop();
        if (_stack.Count == 0 || _stack[^1] is not (PickleDict or TorchTensorRef))
            throw Bad("sets the state of an object a state dict does not hold");
    }

    private static object Global(string module, string name) => (module, name) switch
    {
        ("collections", "OrderedDict") => Callable.OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2") => Callable.RebuildTensor,
        ("torch._utils", "_rebuild_parameter") => Callable.RebuildParameter,
        ("torch", _) when TorchStorage.DTypeOf(name) is not null => new StorageType(name),
        _ => throw new InvalidDataException(
            $"refers to '{module}.{name}', which torch.load(weights_only=True) would refuse too: only tensors, dicts, lists and plain values are read."),
    };

    private object? Reduce(object? callable, object? args)
    {
        object?[] a = args as object?[] ?? throw Bad("calls a function without an argument tuple");
        return callable switch
        {
            Callable.OrderedDict when a.Length == 0 => new PickleDict(),
            Callable.RebuildTensor when a.Length is 6 or 7 => RebuildTensor(a),
            Callable.RebuildParameter when a.Length is 3 or 4 && a[0] is TorchTensorRef tensor => tensor,
            _ => throw Bad("calls a function with arguments it does not take"),
        };
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    private TorchTensorRef RebuildTensor(object?[] a)
    {
        if (a[0] is not TorchStorage storage || a[1] is not long offset || a[2] is not object?[] size || a[3] is not object?[] stride)
            throw Bad("rebuilds a tensor from arguments that are not a storage, an offset, a size and a stride");
        long[] shape = [.. size.Select(d => d is long n and >= 0 and <= int.MaxValue ? n : throw Bad("has a tensor dimension that is not a size"))];
        long[] strides = [.. stride.Select(d => d is long n and >= 0 ? n : throw Bad("has a tensor stride that is not a size"))];
        if (shape.Length != strides.Length)
            throw Bad("has a tensor whose size and stride differ in length");
        return new TorchTensorRef(storage, offset, shape, strides);
    }

    // ('storage', torch.<T>Storage, key, location, numel)
    private TorchStorage PersistentLoad(object? id)
    {
        if (id is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not StorageType type || t[2] is not string key
            || t[4] is not long count || count < 0)
            throw Bad("names a storage in a form torch.save does not write");
        return new TorchStorage(key, TorchStorage.DTypeOf(type.Name)!.Value, count);
    }

    private void Memo(long index)
    {
        if (_stack.Count == 0 || _memo.Count >= MaxMemo)
            throw Bad("memoizes nothing, or too much");
        _memo[index] = _stack[^1];
    }

    private object? Recall(long index) => _memo.TryGetValue(index, out object? value) ? value : throw Bad("recalls an object it never stored");

    private void Push(object? value) => _stack.Add(value);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() == _stack.Count))
            throw Bad("pops from an empty stack");
        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
            throw Bad("closes a mark it never opened");
        int mark = _marks.Pop();
        List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private List<object?> ListOnTop() =>
        _stack.Count > 0 && _stack[^1] is List<object?> list ? list : throw Bad("appends to something that is not a list");

    private PickleDict DictOnTop() =>
        _stack.Count > 0 && _stack[^1] is PickleDict dict ? dict : throw Bad("sets an item of something that is not a dict");

    private byte Byte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > Span.Length - _position)
            throw Bad("ends in the middle of an instruction");
        ReadOnlySpan<byte> taken = Span.Slice(_position, (int)count);
        _position += (int)count;
        return taken;
    }

    private long Length32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private long Length64()
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        return length > int.MaxValue ? throw Bad("holds a string longer than the file") : (long)length;
    }

    private string Line()
    {
        int end = Span[_position..].IndexOf((byte)'\n');
        if (end < 0)
            throw Bad("ends in the middle of a global name");
        string line = Encoding.ASCII.GetString(Span.Slice(_position, end));
        _position += end + 1;
        return line;
    }

    private string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Bad("holds a string that is not valid UTF-8");
        }
    }

    private long Long(ReadOnlySpan<byte> bytes)
    {
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : throw Bad("holds an integer beyond 64 bits");
    }

    private string Text(object? value) => value as string ?? throw Bad("names a global with something that is not a string");

    private InvalidDataException Bad(string what) => new($"{_name}: the checkpoint {what} (at byte {_position} of its pickle).");

    private enum Callable
    {
        OrderedDict,
        RebuildTensor,
        RebuildParameter,
    }

    private sealed record StorageType(string Name);
}

/// <summary>A pickled dict (or OrderedDict), keys in insertion order as Python keeps them.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    /// <summary>The items in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    /// <summary>Sets <paramref name="key"/>, keeping its first position when it is set again.</summary>
    /// <exception cref="InvalidDataException">The key is not a string, an integer or a boolean.</exception>
    public void Set(object? key, object? value)
    {
        if (key is not (string or long or bool))
            throw new InvalidDataException("the checkpoint holds a dict whose key is not a string or a number.");
        if (_index.TryGetValue(key, out int i))
        {
            _items[i] = new(key, value);
            return;
        }
        _index[key] = _items.Count;
        _items.Add(new(key, value));
    }

    /// <summary>The value under a string key, if any.</summary>
    public object? Get(string key) => _index.TryGetValue(key, out int i) ? _items[i].Value : null;
}

/// <summary>A storage a tensor views: the zip entry <c>data/&lt;Key&gt;</c> holding <paramref name="Count"/> elements.</summary>
internal sealed record TorchStorage(string Key, TensorDType DType, long Count)
{
    /// <summary>The dtype of a <c>torch.&lt;T&gt;Storage</c> class name, or null when it is not one this project reads.</summary>
    public static TensorDType? DTypeOf(string storageClass) => storageClass switch
    {
        "FloatStorage" => TensorDType.F32,
        "HalfStorage" => TensorDType.F16,
        "BFloat16Storage" => TensorDType.BF16,
        "LongStorage" => TensorDType.I64,
        "CharStorage" => TensorDType.I8,
        "BoolStorage" => TensorDType.Bool,
        _ => null,
    };
}

/// <summary>A tensor as <c>_rebuild_tensor_v2</c> describes it: a view of a storage.</summary>
internal sealed record TorchTensorRef(TorchStorage Storage, long Offset, long[] Shape, long[] Strides);
