fn main() {
    std::process::exit(esql::cli::main());
}
