using System.Text.RegularExpressions;

namespace CacheFarm.Client.CFamily;

/// <summary>The C and C++ compiler drivers cachefarm wraps: gcc, g++, cc, c++, clang and clang++, with a target prefix or version suffix (<c>x86_64-linux-gnu-gcc-12</c>, <c>clang++-14</c>).</summary>
public static partial class CompilerNames
{
    /// <summary>The plain names, which the shim directory and a masquerading link use.</summary>
    public static readonly IReadOnlyList<string> Plain = ["cc", "c++", "gcc", "g++", "clang", "clang++"];

    public static bool Recognizes(string path) => DriverName().IsMatch(Path.GetFileName(path));

    [GeneratedRegex(@"^(?:[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*-)?(?:cc|c\+\+|gcc|g\+\+|clang|clang\+\+)(?:-[0-9]+(?:\.[0-9]+)*)?$")]
    private static partial Regex DriverName();
}
