namespace PocketTts.Tests.Server.Infrastructure;

/// <summary>A StringWriter the server's threads and the test can share.</summary>
public sealed class LockedWriter : StringWriter
{
    private readonly Lock _lock = new();

    public override void Write(char value)
    {
        lock (_lock)
            base.Write(value);
    }

    public override void Write(string? value)
    {
        lock (_lock)
            base.Write(value);
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
            base.WriteLine(value);
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_lock)
            return base.ToString();
    }

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
}
