// Compiled twice: by MSBuild's RoslynCodeTaskFactory (build/LibTorchSharp.targets, against netstandard2.0, so
// only APIs that netstandard2.0 has are used here) and by tests/Unit with ELF_VERSION_NEEDS_LOGIC_ONLY defined,
// which leaves out the MSBuild task class and keeps the ELF logic under test.
#nullable enable
#pragma warning disable IDE0005 // tests/Unit has implicit usings; the task factory has none
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#pragma warning restore IDE0005

namespace PocketTts.Build;

/// <summary>One entry of an ELF file's version-needs section (.gnu.version_r): a version of a needed library.</summary>
internal sealed class ElfVersionNeed(string file, string version, ushort flags, ushort index, int flagsOffset)
{
    /// <summary>The needed library, e.g. libstdc++.so.6.</summary>
    public string File { get; } = file;

    /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
    public string Version { get; } = version;

    /// <summary>vna_flags; <see cref="ElfVersionNeeds.WeakFlag"/> makes the requirement weak.</summary>
    public ushort Flags { get; } = flags;

    /// <summary>vna_other: the index symbols of this version carry in .gnu.version.</summary>
    public ushort Index { get; } = index;

    /// <summary>File offset of vna_flags.</summary>
    public int FlagsOffset { get; } = flagsOffset;

    /// <summary>True when VER_FLG_WEAK is set.</summary>
    public bool IsWeak => (Flags & ElfVersionNeeds.WeakFlag) != 0;
}

/// <summary>
/// Reads an x86-64 ELF shared library's version needs and marks one as weak (VER_FLG_WEAK in vna_flags).
/// </summary>
/// <remarks>
/// <para>Why: TorchSharp's libLibTorchSharp.so is linked against GCC 13's libstdc++ and so needs GLIBCXX_3.4.32,
/// which Debian 12's libstdc++ (3.4.30) lacks; the loader then refuses the library and TorchSharp reports a
/// misleading "doesn't contain a reference to libtorch-cpu-linux-x64". The only symbol of that version is
/// <c>std::ios_base_library_init</c>, which GCC 13's &lt;iostream&gt; references only to pull in the stream
/// initialisation: it has no relocation, so nothing ever binds or calls it. glibc's loader checks a needed
/// version only when the entry is not weak (it warns, once, about a missing weak version when LD_DEBUG asks),
/// so a weak entry lets the library load. Clearing the symbol's version (patchelf --clear-symbol-version) does
/// not help, because the version-needs entry itself is what the loader checks.</para>
/// <para>Safety: <see cref="MarkWeak(byte[], string, ICollection{string})"/> refuses unless every dynamic symbol of that version is an undefined
/// symbol named in the allowed list with no relocation against it, so a future library that really uses a
/// newer libstdc++ fails the build instead of crashing at run time.</para>
/// </remarks>
internal static class ElfVersionNeeds
{
    /// <summary>VER_FLG_WEAK: the version requirement is weak.</summary>
    public const ushort WeakFlag = 0x2;

    private const uint ShtRela = 4, ShtDynsym = 11, ShtRel = 9, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

    /// <summary>Every version the library needs, in section order.</summary>
    /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file, or a malformed section.</exception>
    public static IReadOnlyList<ElfVersionNeed> Read(byte[] elf)
    {
        var needs = new List<ElfVersionNeed>();
        Section? verneed = Sections(elf).Find(s => s.Type == ShtGnuVerneed);
        if (verneed is null)
            return needs;
        Section strings = Sections(elf)[(int)verneed.Link];
        int entry = verneed.Offset;
        for (uint i = 0; i < verneed.Info; i++)
        {
            Require(elf, entry, 16, ".gnu.version_r entry");
            ushort count = U16(elf, entry + 2);
            string file = String(elf, strings, U32(elf, entry + 4));
            int aux = entry + (int)U32(elf, entry + 8);
            for (int j = 0; j < count; j++)
            {
                Require(elf, aux, 16, ".gnu.version_r auxiliary entry");
                needs.Add(new ElfVersionNeed(file, String(elf, strings, U32(elf, aux + 8)), U16(elf, aux + 4), U16(elf, aux + 6), aux + 4));
                aux += (int)U32(elf, aux + 12);
            }
            uint next = U32(elf, entry + 12);
            if (next == 0)
                break;
            entry += (int)next;
        }
        return needs;
    }

    /// <summary>
    /// Sets <see cref="WeakFlag"/> on the need for <paramref name="version"/>. Returns false when there was nothing
    /// to change (the library does not need that version, or the need is already weak).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// A symbol of that version is defined, is not in <paramref name="allowedSymbols"/>, or has a relocation (it
    /// would be bound at run time); or the file is malformed.
    /// </exception>
    public static bool MarkWeak(byte[] elf, string version, ICollection<string> allowedSymbols)
    {
        ElfVersionNeed? need = null;
        foreach (ElfVersionNeed n in Read(elf))
        {
            if (n.Version == version)
                need = n;
        }
        if (need is null || need.IsWeak)
            return false;
        foreach (string symbol in SymbolsOfVersion(elf, need.Index, allowedSymbols))
            throw new InvalidDataException($"{version} is needed by {symbol}, which is used at run time; marking it weak would hide a real dependency on {need.File}.");
        ushort flags = (ushort)(need.Flags | WeakFlag);
        elf[need.FlagsOffset] = (byte)flags;
        elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
        return true;
    }

    /// <summary>
    /// Patches the file in place (through a temporary file and a rename, so a hard link to the original, as in
    /// the NuGet cache, is never written through). Returns false when nothing had to change.
    /// </summary>
    public static bool MarkWeak(string path, string version, ICollection<string> allowedSymbols)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (!MarkWeak(elf, version, allowedSymbols))
            return false;
        string temporary = path + ".patching";
        File.WriteAllBytes(temporary, elf);
        File.Delete(path);
        File.Move(temporary, path);
        return true;
    }

    /// <summary>Describes each symbol of version index <paramref name="index"/> that must not be weakened.</summary>
    private static IEnumerable<string> SymbolsOfVersion(byte[] elf, ushort index, ICollection<string> allowedSymbols)
    {
        List<Section> sections = Sections(elf);
        int dynsymIndex = sections.FindIndex(s => s.Type == ShtDynsym);
        Section? versym = sections.Find(s => s.Type == ShtGnuVersym);
        if (dynsymIndex < 0 || versym is null)
            yield break;
        Section dynsym = sections[dynsymIndex], strings = sections[(int)dynsym.Link];
        var relocated = new HashSet<uint>();
        foreach (Section s in sections)
        {
            if ((s.Type != ShtRela && s.Type != ShtRel) || s.Link != dynsymIndex)
                continue;
            int size = s.Type == ShtRela ? 24 : 16;
            for (int r = s.Offset; r + size <= s.Offset + s.Size; r += size)
                relocated.Add(U32(elf, r + 12));   // high half of r_info: the symbol index
        }
        int symbols = dynsym.Size / 24;
        for (int i = 0; i < symbols; i++)
        {
            Require(elf, versym.Offset + 2 * i, 2, ".gnu.version");
            if ((U16(elf, versym.Offset + 2 * i) & 0x7fff) != index)
                continue;
            int sym = dynsym.Offset + 24 * i;
            Require(elf, sym, 24, ".dynsym entry");
            string name = String(elf, strings, U32(elf, sym));
            if (U16(elf, sym + 6) != 0)
                yield return $"{name} (defined here)";
            else if (!allowedSymbols.Contains(name))
                yield return $"{name} (not in the allowed list)";
            else if (relocated.Contains((uint)i))
                yield return $"{name} (it has a relocation)";
        }
    }

    private sealed class Section(uint type, int offset, int size, uint link, uint info)
    {
        public uint Type { get; } = type;

        public int Offset { get; } = offset;

        public int Size { get; } = size;

        public uint Link { get; } = link;

        public uint Info { get; } = info;
    }

    private static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file (the first four bytes are not 7F 'E' 'L' 'F').");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"Only 64-bit little-endian ELF files are supported (class {elf[4]}, data {elf[5]}).");
        long shoff = (long)U64(elf, 0x28);
        int entrySize = U16(elf, 0x3a), count = U16(elf, 0x3c);
        if (entrySize < 64 || shoff < 0 || shoff + (long)entrySize * count > elf.Length)
            throw new InvalidDataException($"The section header table ({count} entries of {entrySize} bytes at {shoff}) is outside the file ({elf.Length} bytes).");
        var sections = new List<Section>(count);
        for (int i = 0; i < count; i++)
        {
            int h = (int)shoff + i * entrySize;
            ulong offset = U64(elf, h + 24), size = U64(elf, h + 32);
            uint type = U32(elf, h + 4);
            if (type != 8 && offset + size > (ulong)elf.Length)   // SHT_NOBITS (8) occupies no file space
                throw new InvalidDataException($"Section {i} ({size} bytes at {offset}) is outside the file ({elf.Length} bytes).");
            sections.Add(new Section(type, (int)offset, (int)size, U32(elf, h + 40), U32(elf, h + 44)));
        }
        return sections;
    }

    private static string String(byte[] elf, Section table, uint offset)
    {
        int start = table.Offset + (int)offset, end = start;
        int limit = table.Offset + table.Size;
        while (end < limit && elf[end] != 0)
            end++;
        if (offset >= table.Size || end == limit)
            throw new InvalidDataException($"String offset {offset} is outside its string table ({table.Size} bytes).");
        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    private static void Require(byte[] elf, int offset, int length, string what)
    {
        if (offset < 0 || offset > elf.Length - length)
            throw new InvalidDataException($"A {what} at offset {offset} is outside the file ({elf.Length} bytes).");
    }

    private static ushort U16(byte[] b, int i) => (ushort)(b[i] | b[i + 1] << 8);

    private static uint U32(byte[] b, int i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);

    private static ulong U64(byte[] b, int i) => U32(b, i) | (ulong)U32(b, i + 4) << 32;
}

#if !ELF_VERSION_NEEDS_LOGIC_ONLY
/// <summary>
/// MSBuild task: marks <see cref="Version"/> weak in each of <see cref="Files"/> (see <see cref="ElfVersionNeeds"/>).
/// Idempotent: an already weak need is left as it is.
/// </summary>
public sealed class WeakenElfVersionNeed : Microsoft.Build.Utilities.Task
{
    /// <summary>The ELF shared libraries to patch.</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = [];

    /// <summary>The version to mark weak, e.g. GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    /// <summary>The only symbols that may carry that version (semicolon-separated).</summary>
    [Microsoft.Build.Framework.Required]
    public string AllowedSymbols { get; set; } = "";

    /// <inheritdoc/>
    public override bool Execute()
    {
        var allowed = new HashSet<string>(AllowedSymbols.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
        foreach (Microsoft.Build.Framework.ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                bool patched = ElfVersionNeeds.MarkWeak(path, Version, allowed);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                    patched ? $"{path}: marked {Version} weak." : $"{path}: {Version} already weak or not needed.");
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.LogError($"{path}: cannot mark {Version} weak: {ex.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
