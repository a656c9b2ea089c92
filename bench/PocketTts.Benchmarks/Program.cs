using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// The default job is BenchmarkDotNet's short run (3 warm-up and 3 measured iterations), in process: the whole set
// finishes in a few minutes, and no project is generated and rebuilt under this repository's build rules.
// A longer, more precise run: add --job medium (BenchmarkDotNet then runs both jobs).
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess").AsDefault())
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(PocketTts.Benchmarks.GemvBenchmarks).Assembly).Run(args, config);
