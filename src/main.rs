fn main() {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == racecourse::runtime::process_pool::WORKER_ARG)
    {
        std::process::exit(racecourse::runtime::process_pool::worker_main());
    }
    std::process::exit(0)
}
