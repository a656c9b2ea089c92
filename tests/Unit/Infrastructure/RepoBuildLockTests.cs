namespace PocketTts.Tests.Unit.Infrastructure;

public sealed class RepoBuildLockTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pocket-tts-build-lock-").FullName;

    [Fact]
    public async Task A_second_build_waits_for_the_first_and_gets_the_lock_once_it_is_released()
    {
        IDisposable first = await RepoBuildLock.AcquireAsync(_root, TimeSpan.FromSeconds(1));

        TimeoutException timeout = await Should.ThrowAsync<TimeoutException>(() => RepoBuildLock.AcquireAsync(_root, TimeSpan.FromMilliseconds(600)));
        timeout.Message.ShouldContain("test-builds.lock");
        Task<IDisposable> second = RepoBuildLock.AcquireAsync(_root, TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        second.IsCompleted.ShouldBeFalse("the first build still holds the lock");
        first.Dispose();
        using IDisposable acquired = await second.WaitAsync(TimeSpan.FromSeconds(30));
        File.Exists(Path.Join(_root, "artifacts", "test-builds.lock")).ShouldBeTrue();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
