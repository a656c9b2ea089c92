using PocketTts.Build;

namespace PocketTts.Tests.Unit.Backends.Torch;

/// <summary>
/// The build step that marks GLIBCXX_3.4.32 weak in libLibTorchSharp.so (build/ElfVersionNeeds.cs, run by
/// build/LibTorchSharp.targets), on the plugin's real copy of the library.
/// </summary>
public sealed class ElfVersionNeedsTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string IosBaseLibraryInit = "_ZSt21ios_base_library_initv";

    private static string Library => Path.Combine(TorchPlugin.Folder, "libLibTorchSharp.so");

    [Fact]
    public void The_plugins_copy_needs_GLIBCXX_3_4_32_weakly_and_every_other_version_strictly()
    {
        IReadOnlyList<ElfVersionNeed> needs = ElfVersionNeeds.Read(File.ReadAllBytes(Library));

        ElfVersionNeed glibcxx = needs.Single(n => n.Version == Version);
        glibcxx.File.ShouldBe("libstdc++.so.6");
        glibcxx.IsWeak.ShouldBeTrue();
        needs.Where(n => n != glibcxx).ShouldAllBe(n => !n.IsWeak);
        needs.ShouldContain(n => n.File == "libc.so.6" && n.Version == "GLIBC_2.2.5");
    }

    [Fact]
    public void Marking_weak_sets_one_flag_bit_and_is_idempotent()
    {
        byte[] patched = File.ReadAllBytes(Library);
        byte[] original = Unpatched(patched);

        byte[] elf = (byte[])original.Clone();
        ElfVersionNeeds.MarkWeak(elf, Version, [IosBaseLibraryInit]).ShouldBeTrue();
        elf.ShouldBe(patched);
        Enumerable.Range(0, elf.Length).Count(i => elf[i] != original[i]).ShouldBe(1);

        ElfVersionNeeds.MarkWeak(elf, Version, [IosBaseLibraryInit]).ShouldBeFalse();
        elf.ShouldBe(patched);
    }

    [Fact]
    public void A_file_is_patched_through_a_new_file_and_left_alone_once_patched()
    {
        string directory = Directory.CreateTempSubdirectory("pocket-tts-elf-").FullName;
        try
        {
            string path = Path.Combine(directory, "libLibTorchSharp.so");
            File.WriteAllBytes(path, Unpatched(File.ReadAllBytes(Library)));

            ElfVersionNeeds.MarkWeak(path, Version, [IosBaseLibraryInit]).ShouldBeTrue();
            File.ReadAllBytes(path).ShouldBe(File.ReadAllBytes(Library));
            DateTime written = File.GetLastWriteTimeUtc(path);
            ElfVersionNeeds.MarkWeak(path, Version, [IosBaseLibraryInit]).ShouldBeFalse();
            File.GetLastWriteTimeUtc(path).ShouldBe(written);
            Directory.GetFiles(directory).ShouldBe([path]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_version_whose_symbols_are_not_all_allowed_is_refused()
    {
        byte[] elf = Unpatched(File.ReadAllBytes(Library));

        Should.Throw<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(elf, Version, []))
            .Message.ShouldBe($"{Version} is needed by {IosBaseLibraryInit} (not in the allowed list), which is used at run time; marking it weak would hide a real dependency on libstdc++.so.6.");
    }

    [Fact]
    public void A_version_of_a_symbol_that_is_bound_at_run_time_is_refused()
    {
        // std::condition_variable::wait is called by LibTorchSharp, so it has a relocation.
        const string wait = "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE";
        byte[] elf = File.ReadAllBytes(Library);

        Should.Throw<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.30", [wait]))
            .Message.ShouldContain($"{wait} (it has a relocation)");
    }

    [Fact]
    public void A_version_the_library_does_not_need_changes_nothing()
    {
        byte[] elf = File.ReadAllBytes(Library);
        byte[] before = (byte[])elf.Clone();

        ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_9.9.9", [IosBaseLibraryInit]).ShouldBeFalse();
        elf.ShouldBe(before);
    }

    [Fact]
    public void Files_that_are_not_64_bit_little_endian_ELF_are_rejected_with_the_reason()
    {
        Should.Throw<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[100]))
            .Message.ShouldBe("Not an ELF file (the first four bytes are not 7F 'E' 'L' 'F').");

        byte[] elf32 = File.ReadAllBytes(Library);
        elf32[4] = 1;
        Should.Throw<InvalidDataException>(() => ElfVersionNeeds.Read(elf32))
            .Message.ShouldBe("Only 64-bit little-endian ELF files are supported (class 1, data 1).");

        byte[] truncated = File.ReadAllBytes(Library)[..4096];
        Should.Throw<InvalidDataException>(() => ElfVersionNeeds.Read(truncated))
            .Message.ShouldContain("is outside the file (4096 bytes)");
    }

    /// <summary>The library as TorchSharp ships it: the weak bit of GLIBCXX_3.4.32 cleared again.</summary>
    private static byte[] Unpatched(byte[] patched)
    {
        byte[] elf = (byte[])patched.Clone();
        ElfVersionNeed need = ElfVersionNeeds.Read(elf).Single(n => n.Version == Version);
        elf[need.FlagsOffset] &= unchecked((byte)~ElfVersionNeeds.WeakFlag);
        ElfVersionNeeds.Read(elf).Single(n => n.Version == Version).IsWeak.ShouldBeFalse();
        return elf;
    }
}
