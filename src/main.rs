fn main() {
    // Like other Unix tools, stop quietly when the reader of our output goes away
    // (`esql run ... | head`) instead of failing on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(esql::cli::main());
}
