using CacheFarm.Client.CFamily;

namespace CacheFarm.Client.Tests.CFamily;

/// <summary>Which compiles preprocessor mode may serve, the preprocessor run it makes, and how it reads that run's file list and line markers.</summary>
public sealed class PreprocessorModeGateTests
{
    private static string? WhyNot(string line, string language = "c", string? variable = null) =>
        PreprocessorModeGate.WhyNot(line.Split(' '), language, name => name == variable ? "1" : null);

    [Theory]
    [InlineData("-O2 -w -c x.c -o x.o")]
    [InlineData("-g0 -Wextra -w -c x.c")]
    [InlineData("-fno-sanitize=all -gz -w -c x.c")]
    public void A_compile_whose_text_decides_its_outputs_may_use_preprocessor_mode(string line) =>
        Assert.Null(WhyNot(line));

    [Theory]
    [InlineData("-O2 -c x.c", "warnings are on (no -w)")]
    [InlineData("-w -g -c x.c", "-g records source columns")]
    [InlineData("-w -ggdb3 -c x.c", "-g records source columns")]
    [InlineData("-w -fsanitize=address -c x.c", "-fsanitize records source columns")]
    [InlineData("-w --coverage -c x.c", "--coverage records source columns")]
    [InlineData("-w -flto=auto -c x.c", "-flto records source columns")]
    [InlineData("-w -Werror=implicit-fallthrough -c x.c", "-Werror= acts beyond the text")]
    [InlineData("-w -save-temps -c x.c", "-save-temps acts beyond the text")]
    [InlineData("-w -Wp,-MD,x.d -c x.c", "-Wp, acts beyond the text")]
    [InlineData("-w -Xclang -emit-pch -c x.c", "-Xclang acts beyond the text")]
    [InlineData("-w -c x.c @deeper.rsp", "@ acts beyond the text")]
    [InlineData("-w --specs=extra.specs -c x.c", "--specs acts beyond the text")]
    [InlineData("-w -dM -c x.c", "-dM changes the printed text")]
    [InlineData("-w -P -c x.c", "-P changes the printed text")]
    public void A_compile_whose_outputs_need_more_than_the_text_is_refused_with_the_reason(string line, string reason) =>
        Assert.Equal(reason, WhyNot(line));

    [Fact]
    public void A_precompiled_header_and_a_variable_that_adds_options_are_refused()
    {
        Assert.Equal("a precompiled header keeps macros", WhyNot("-w pch.h -o pch.h.gch", "c-header"));
        Assert.Equal("CCC_OVERRIDE_OPTIONS is set", WhyNot("-w -c x.c", "c", "CCC_OVERRIDE_OPTIONS"));
        Assert.Equal("DEPENDENCIES_OUTPUT is set", WhyNot("-w -c x.c", "c", "DEPENDENCIES_OUTPUT"));
        Assert.Equal("CC_PRINT_OPTIONS_FILE is set", WhyNot("-w -c x.c", "c", "CC_PRINT_OPTIONS_FILE"));
    }

    [Fact]
    public void The_preprocessor_run_writes_no_object_and_lists_its_files_only_where_cachefarm_asks()
    {
        var args = "-O1 -I../include -MD -MT a.o -MF a.o.d -MMD -MP -MQa.o -MFb.d -c ../src/a.c -o a.o --output=c.o".Split(' ');
        Assert.Equal(
            ["-O1", "-I../include", "../src/a.c", "-E", "-MD", "-MF", "/tmp/pp.d", "-MT", "cachefarm-preprocessed"],
            PreprocessorModeGate.PreprocessArgs(args, "/tmp/pp.d"));
        Assert.Equal(["x.c", "-E", "-MD", "-MF", "d", "-MT", "cachefarm-preprocessed"], PreprocessorModeGate.PreprocessArgs(["-S", "x.c", "-ox.s"], "d"));
    }

    [Fact]
    public void A_depfile_rule_is_read_with_make_escapes_and_continuations()
    {
        var text = "cachefarm-preprocessed: ../src/a.c /usr/include/stdio.h \\\n ../include/with\\ space.h odd\\#hash.h cost$$.h\n";
        Assert.Equal(["../src/a.c", "/usr/include/stdio.h", "../include/with space.h", "odd#hash.h", "cost$.h"], MakeDepFile.Prerequisites(text));
    }

    [Fact]
    public void Line_markers_name_files_relative_to_the_working_directory_and_skip_odd_escapes()
    {
        var text = System.Text.Encoding.UTF8.GetBytes(
            "# 0 \"../src/a.c\"\n# 0 \"<built-in>\"\n# 0 \"<command-line>\"\n# 1 \"/usr/include/stdio.h\" 1 3 4\n"
            + "int x;\n# 12 \"../include/q\\\"uote.h\" 2\n# 3 \"odd\\303name.h\"\n#pragma once\n# 1 \"/usr/lib/gcc/x/12/../../../../include/c.h\"");
        string[] carried = ["/usr/include/c.h", "/usr/include/stdio.h", "/w/include/q\"uote.h", "/w/src/a.c"];
        Assert.Equal(carried, LineMarkers.Files(text, "/w/build").Order(StringComparer.Ordinal));
    }
}
