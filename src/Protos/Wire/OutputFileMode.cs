namespace CacheFarm.Protos.Wire;

/// <summary>The permission bits of a restored output: rw-r--r--, plus x for everyone when the entry marks it executable.</summary>
public static class OutputFileMode
{
    public static UnixFileMode Of(bool executable) =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
        | (executable ? UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0);
}
