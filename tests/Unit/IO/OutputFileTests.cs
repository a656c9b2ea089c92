using System.Diagnostics;
using System.Runtime.Versioning;
using PocketTts.IO;

namespace PocketTts.Tests.Unit.IO;

/// <summary>Special files, links and permissions as Linux has them (CI and the product's servers run Linux).</summary>
[SupportedOSPlatform("linux")]
public sealed class OutputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("output-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static void Write(string path, string text, bool commit = true)
    {
        using OutputFile file = OutputFile.Open(path);
        file.Stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        if (commit)
            file.Commit();
    }

    [Fact]
    public void A_regular_file_is_replaced_with_its_permissions_kept_and_nothing_left_beside_it()
    {
        string target = PathOf("out.txt");
        File.WriteAllText(target, "old");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Write(target, "new");

        File.ReadAllText(target).ShouldBe("new");
        File.GetUnixFileMode(target).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Directory.GetFiles(_folder).ShouldBe([target]);
    }

    [Fact]
    public void Without_a_commit_the_old_file_stays_and_the_temporary_one_goes()
    {
        string target = PathOf("out.txt");
        File.WriteAllText(target, "old");

        Write(target, "half", commit: false);

        File.ReadAllText(target).ShouldBe("old");
        Directory.GetFiles(_folder).ShouldBe([target]);
    }

    [Fact]
    public void A_temporary_file_is_deleted_at_process_exit_when_its_writer_never_finished()
    {
        string target = PathOf("out.txt");
        OutputFile file = OutputFile.Open(target);
        file.Stream.Write([1, 2, 3]);
        file.Stream.Flush();
        Directory.GetFiles(_folder).ShouldHaveSingleItem().ShouldContain(".out.txt.");

        PendingFiles.DeleteAll();

        Directory.GetFiles(_folder).ShouldBeEmpty();
        file.Dispose();
    }

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_target_is_replaced()
    {
        string target = PathOf("real.txt"), link = PathOf("link.txt");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);

        Write(link, "new");

        new FileInfo(link).LinkTarget.ShouldBe(target);
        File.ReadAllText(target).ShouldBe("new");
        Directory.GetFiles(_folder).Order().ShouldBe([link, target]);
    }

    [Fact]
    public void Dev_null_is_written_through_and_stays_a_device()
    {
        Write("/dev/null", "speech");

        FileType.IsSpecial("/dev/null").ShouldBeTrue();
    }

    [Fact]
    public async Task A_fifo_is_written_through_to_its_reader()
    {
        string fifo = PathOf("pipe");
        Process.Start("mkfifo", fifo).WaitForExit();
        FileType.IsSpecial(fifo).ShouldBeTrue();
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));

        Write(fifo, "through the pipe");

        (await reader.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("through the pipe");
        FileType.IsSpecial(fifo).ShouldBeTrue();
    }

    [Fact]
    public void Regular_files_and_folders_are_not_special_and_a_folder_is_refused()
    {
        string target = PathOf("plain.txt");
        File.WriteAllText(target, "x");

        FileType.IsSpecial(target).ShouldBeFalse();
        FileType.IsSpecial(_folder).ShouldBeFalse();
        FileType.IsSpecial(PathOf("missing")).ShouldBeFalse();
        Should.Throw<IOException>(() => OutputFile.Open(_folder)).Message.ShouldContain("is a folder");
        Should.Throw<DirectoryNotFoundException>(() => OutputFile.Open(PathOf("no/such/folder/x.wav")));
    }
}
