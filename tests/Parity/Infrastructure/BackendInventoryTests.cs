namespace PocketTts.Tests.Parity.Infrastructure;

public class BackendInventoryTests
{
    [Fact]
    public void The_managed_backend_is_installed_and_available()
    {
        ParityBackends.AvailableNames.ShouldContain("managed");
    }

    [Fact]
    public void Installed_backends_that_cannot_run_here_say_why()
    {
        foreach (var (name, reason) in ParityBackends.Unavailable)
            reason.ShouldNotBeNullOrWhiteSpace($"backend {name} is unavailable without a reason");
    }
}
