using System.Runtime.CompilerServices;
using PocketTts.Host.Serving.Voices;
using PocketTts.Voices;

namespace PocketTts.Tests.Server;

public sealed class VoiceStateCacheTests
{
    // VoiceState's constructor is internal to Core; the cache never looks inside, so an uninitialised instance will do.
    private static VoiceState NewState() => (VoiceState)RuntimeHelpers.GetUninitializedObject(typeof(VoiceState));

    [Fact]
    public async Task The_least_recently_used_entry_is_evicted_first()
    {
        var cache = new VoiceStateCache(capacity: 2);
        int computed = 0;
        Task<VoiceState> Compute() { computed++; return Task.FromResult(NewState()); }

        VoiceState a = await cache.GetOrAddAsync("a", Compute);
        await cache.GetOrAddAsync("b", Compute);
        (await cache.GetOrAddAsync("a", Compute)).ShouldBeSameAs(a, "a hit");
        await cache.GetOrAddAsync("c", Compute); // evicts b, the least recently used
        computed.ShouldBe(3);

        (await cache.GetOrAddAsync("a", Compute)).ShouldBeSameAs(a);
        computed.ShouldBe(3);
        await cache.GetOrAddAsync("b", Compute);
        computed.ShouldBe(4, "b was evicted and is computed again");
        cache.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_key_share_one_computation()
    {
        var cache = new VoiceStateCache(capacity: 4);
        var gate = new TaskCompletionSource<VoiceState>();
        int computed = 0;
        Task<VoiceState>[] waiting = [.. Enumerable.Range(0, 5).Select(_ => cache.GetOrAddAsync("k", () => { computed++; return gate.Task; }))];
        gate.SetResult(NewState());
        VoiceState[] states = await Task.WhenAll(waiting);
        computed.ShouldBe(1);
        states.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_failed_computation_is_not_kept()
    {
        var cache = new VoiceStateCache(capacity: 4);
        await Should.ThrowAsync<InvalidDataException>(() => cache.GetOrAddAsync("k", () => Task.FromException<VoiceState>(new InvalidDataException("bad"))));
        cache.Count.ShouldBe(0);
        (await cache.GetOrAddAsync("k", () => Task.FromResult(NewState()))).ShouldNotBeNull();
    }
}
