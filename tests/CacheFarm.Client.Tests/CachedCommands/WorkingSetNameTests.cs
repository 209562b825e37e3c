using CacheFarm.Client.CachedCommands;

namespace CacheFarm.Client.Tests.CachedCommands;

public sealed class WorkingSetNameTests
{
    private const string Rustc = "/home/ci/.rustup/toolchains/1.95-x86_64-unknown-linux-gnu/bin/rustc";

    private static string? NoVariable(string name) => null;

    [Fact]
    public void A_compile_into_deps_is_named_by_checkout_directory_host_target_profile_and_toolchain() =>
        Assert.Equal($"rust-ws host debug {Rustc}", WorkingSetName.For("/builds/runner-1/rust-ws/target/debug/deps", Rustc, NoVariable));

    [Fact]
    public void Checkouts_of_the_same_repository_in_different_places_share_a_working_set() =>
        Assert.Equal(
            WorkingSetName.For("/home/a/rust-ws/target/debug/deps", Rustc, NoVariable),
            WorkingSetName.For("/tmp/runner-7/rust-ws/target/debug/deps", Rustc, NoVariable));

    [Fact]
    public void A_build_script_out_dir_belongs_to_the_working_set_of_its_profile() =>
        Assert.Equal(
            WorkingSetName.For("/w/rust-ws/target/debug/deps", Rustc, NoVariable),
            WorkingSetName.For("/w/rust-ws/target/debug/build/ring-0a1b2c3d/out", Rustc, NoVariable));

    [Fact]
    public void Another_profile_is_another_working_set() =>
        Assert.NotEqual(
            WorkingSetName.For("/w/rust-ws/target/debug/deps", Rustc, NoVariable),
            WorkingSetName.For("/w/rust-ws/target/release/deps", Rustc, NoVariable));

    [Fact]
    public void A_cross_compile_names_its_target_triple() =>
        Assert.Equal($"rust-ws aarch64-unknown-linux-gnu release {Rustc}",
            WorkingSetName.For("/w/rust-ws/target/aarch64-unknown-linux-gnu/release/deps", Rustc, NoVariable));

    [Fact]
    public void Another_toolchain_is_another_working_set() =>
        Assert.NotEqual(
            WorkingSetName.For("/w/rust-ws/target/debug/deps", Rustc, NoVariable),
            WorkingSetName.For("/w/rust-ws/target/debug/deps", "/usr/bin/rustc", NoVariable));

    [Fact]
    public void A_target_directory_outside_the_checkout_names_itself() =>
        Assert.Equal($"cargo-out host debug {Rustc}", WorkingSetName.For("/var/cache/cargo-out/debug/deps", Rustc, NoVariable));

    [Fact]
    public void An_output_directory_outside_cargo_s_layout_has_no_working_set() =>
        Assert.Equal("", WorkingSetName.For("/tmp/out", Rustc, NoVariable));

    [Fact]
    public void The_variable_overrides_the_name_and_empty_turns_prefetching_off()
    {
        Assert.Equal("nightly-docs", WorkingSetName.For("/w/rust-ws/target/debug/deps", Rustc, n => n == WorkingSetName.Variable ? "nightly-docs" : null));
        Assert.Equal("", WorkingSetName.For("/w/rust-ws/target/debug/deps", Rustc, n => n == WorkingSetName.Variable ? "" : null));
    }
}
