fn main() -> std::process::ExitCode {
    eiaflow::cli::main()
}
