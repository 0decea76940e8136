//! The `baqylau` binary: everything happens in `baqylau::cli`.

fn main() -> std::process::ExitCode {
    baqylau::cli::main()
}
