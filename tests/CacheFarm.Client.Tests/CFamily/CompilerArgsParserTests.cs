using CacheFarm.Client.CFamily;
using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Tests.CFamily;

/// <summary>How a gcc or clang command line is read: which calls are single compiles, and where their outputs go.</summary>
public sealed class CompilerArgsParserTests
{
    [Fact]
    public void A_cmake_compile_names_its_source_object_and_depfile()
    {
        var (args, verdict) = CompilerArgsParser.Parse(
            ["-DX=1", "-I/src/include", "-isystem", "/opt/x", "-O2", "-MD", "-MT", "a.cc.o", "-MF", "a.cc.o.d", "-o", "CMakeFiles/t.dir/a.cc.o", "-c", "/src/a.cc"]);
        Assert.Equal(CompileKind.Cacheable, verdict.Kind);
        Assert.Equal(new CompilerArgs("/src/a.cc", "c++", "CMakeFiles/t.dir/a.cc.o", "a.cc.o.d"), args);
    }

    [Theory]
    [InlineData("-c x.c", "x.o")]
    [InlineData("-S x.c", "x.s")]
    [InlineData("-c -ox1.o x.c", "x1.o")]
    [InlineData("-x c -c weird.txt -o w.o", "w.o")]
    [InlineData("-x c-header util.h -o util.h.gch", "util.h.gch")]
    [InlineData("-O2 pre.hpp -o pre.hpp.gch", "pre.hpp.gch")]
    public void The_object_is_named_as_the_compiler_names_it(string line, string objectPath)
    {
        var (args, verdict) = CompilerArgsParser.Parse(line.Split(' '));
        Assert.Equal(CompileKind.Cacheable, verdict.Kind);
        Assert.Equal(objectPath, args!.ObjectPath);
    }

    [Theory]
    [InlineData("a.o b.o -o prog", CompileKind.NotCompilation, "link")]
    [InlineData("--version", CompileKind.NotCompilation, "no input file")]
    [InlineData("-E x.c", CompileKind.NotCompilation, "preprocessor output")]
    [InlineData("-M x.c", CompileKind.NotCompilation, "dependency listing only")]
    [InlineData("-fsyntax-only x.c", CompileKind.NotCompilation, "syntax check only")]
    [InlineData("-c a.c b.c", CompileKind.NotCacheable, "multiple input files")]
    [InlineData("-c -x c -", CompileKind.NotCacheable, "source from stdin")]
    [InlineData("-c prog.f90", CompileKind.NotCacheable, "unsupported language .f90")]
    [InlineData("-c conftest.c -o conftest.o", CompileKind.NotCacheable, "configure probe")]
    [InlineData("-c x.h", CompileKind.NotCacheable, "precompiled header without -o")]
    [InlineData("x.h", CompileKind.NotCacheable, "precompiled header without -o")]
    public void Other_calls_pass_through_with_a_reason(string line, CompileKind kind, string reason)
    {
        var (args, verdict) = CompilerArgsParser.Parse(line.Split(' '));
        Assert.Null(args);
        Assert.Equal(new CompileClassification(kind, reason), verdict);
    }

    [Fact]
    public void A_value_after_an_option_is_not_a_source()
    {
        var (args, _) = CompilerArgsParser.Parse(["-c", "-include", "pre.h", "-D", "A", "-Xclang", "-fno-x", "x.c", "-o", "x.o"]);
        Assert.Equal("x.c", args!.Source);
    }

    [Fact]
    public void Response_files_split_on_whitespace_and_honour_quotes_and_backslashes()
    {
        Assert.Equal(["-c", "a b.c", "-DX=\"y\"", "-o", "it's.o"], GccResponseFile.Split("-c 'a b.c'\n -DX=\\\"y\\\" -o \"it's.o\"\n"));
    }

    [Fact]
    public void A_hit_writes_only_where_the_command_line_writes()
    {
        var outputs = new CompileOutputs(new CompilerArgs("../src/a.c", "c", "obj/a.o", "deps/a.d"), "/b");
        Assert.Equal("object", outputs.StoredName("/b/obj/a.o"));
        Assert.Equal("depfile", outputs.StoredName("/b/deps/a.d"));
        Assert.Equal("object-dir/a.dwo", outputs.StoredName("/b/obj/a.dwo"));
        Assert.Equal("cwd/a.i", outputs.StoredName("/b/a.i"));
        Assert.Null(outputs.StoredName("/b/obj/other.o"));
        Assert.Null(outputs.StoredName("/b/src/a.c"));
        Assert.Equal("/b/obj/a.gcno", outputs.Target("object-dir/a.gcno"));
        Assert.Null(outputs.Target("object-dir/../../etc/passwd"));
        Assert.Null(outputs.Target("object-dir/evil.o"));
        Assert.Null(outputs.Target("cwd/sub/a.i"));
        Assert.Null(outputs.Target("/etc/passwd"));
    }
}
