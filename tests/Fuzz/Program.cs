using PocketTts.Fuzz;
using SharpFuzz;

// afl-fuzz starts this once per target (see scripts/fuzz.sh) and feeds it inputs through SharpFuzz's fork server;
// an exception that escapes the target is reported to afl as a crash.
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out FuzzTarget? target))
{
    await Console.Error.WriteLineAsync($"usage: PocketTts.Fuzz TARGET (one of {string.Join(", ", FuzzTargets.All.Keys)})");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target.Run(copy.ToArray());
});
return 0;
