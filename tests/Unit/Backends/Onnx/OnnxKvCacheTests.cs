using PocketTts.Backends.Onnx.Runtime;

namespace PocketTts.Tests.Unit.Backends.Onnx;

public sealed class OnnxKvCacheTests
{
    private static void Append(OnnxKvCache cache, params float[] keys)
    {
        int rows = keys.Length / (cache.Heads * cache.HeadDim);
        (Memory<float> k, Memory<float> v) = cache.Next(rows);
        keys.CopyTo(k.Span);
        keys.Select(r => -r).ToArray().CopyTo(v.Span);
        cache.Advance(rows);
    }

    [Fact]
    public void A_windowed_cache_shows_the_last_window_minus_one_rows_and_moves_them_when_the_buffer_is_full()
    {
        var cache = new OnnxKvCache(heads: 1, headDim: 1, rows: 6, window: 3);
        Append(cache, 1, 2);
        cache.Past().Keys.ToArray().ShouldBe([1f, 2f]);
        Append(cache, 3, 4);
        cache.Past().Keys.ToArray().ShouldBe([3f, 4f]);
        Append(cache, 5, 6);                                   // fills the buffer
        Append(cache, 7, 8);                                   // moves 5, 6 to the front first
        cache.Past().Keys.ToArray().ShouldBe([7f, 8f]);
        cache.Past().Values.ToArray().ShouldBe([-7f, -8f]);
        cache.Position.ShouldBe(8);
        cache.Keys[..4].ShouldBe([5f, 6f, 7f, 8f]);
    }

    [Fact]
    public void A_linear_cache_keeps_every_row_and_refuses_what_does_not_fit()
    {
        var cache = new OnnxKvCache(heads: 1, headDim: 2, rows: 3, window: null);
        Append(cache, 1, 2, 3, 4);
        cache.PastRows.ShouldBe(2);
        Should.Throw<InvalidOperationException>(() => cache.Next(2)).Message.ShouldContain("does not fit");
        cache.Load(1, [9f, 9f], [8f, 8f]);
        cache.Position.ShouldBe(1);
        cache.Past().Keys.ToArray().ShouldBe([9f, 9f]);
        Should.Throw<ArgumentException>(() => cache.Load(4, new float[8], new float[8]));
        cache.Clear();
        cache.PastRows.ShouldBe(0);
        cache.Position.ShouldBe(0);
    }
}
