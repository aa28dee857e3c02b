fn main() {
    // Process-pool workers re-execute this binary; they must start fast and
    // never touch the terminal.
    if std::env::args_os().nth(1).is_some_and(|a| a == "__worker") {
        std::process::exit(racecourse::runtime::process_pool::worker_main());
    }
    if std::env::args_os().nth(1).is_some_and(|a| a == "__child") {
        std::process::exit(racecourse::demos::child::main());
    }
    std::process::exit(racecourse::cli::main());
}
