fn main() {
    std::process::exit(racecourse::cli::main());
}
