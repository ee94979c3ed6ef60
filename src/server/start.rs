//! Starting the server: the checks on where it listens, the runtime, TLS, and the loop.

use super::{auth, log, router, say, Shared};
use crate::engine::Engine;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How the server runs.
pub struct Options {
    /// `HOST:PORT`.
    pub listen: String,
    /// No line per request.
    pub quiet: bool,
    /// Queries that may run at once.
    pub max_queries: usize,
    /// The credentials requests must carry (none: loopback only).
    pub credentials: auth::Credentials,
    /// The certificate chain and key files (PEM) to serve HTTPS with.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// How long a query may run before it is cancelled.
    pub timeout: Option<Duration>,
}

/// Serves `engine` until killed; returns the exit code.
pub fn run(engine: Engine, options: &Options) -> i32 {
    let listen = options.listen.as_str();
    let addr: std::net::SocketAddr = match listen.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!("esql: --listen takes HOST:PORT (127.0.0.1:9200), not [{listen}]");
            return 2;
        }
    };
    if !addr.ip().is_loopback() && !options.credentials.required() {
        eprintln!("esql: listening on {addr} opens the data to the network: give --api-key or --user first");
        return 2;
    }
    let tls = match &options.tls {
        Some((cert, key)) => match super::tls::config(cert, key) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("esql: {e}");
                return 2;
            }
        },
        None => None,
    };
    // A server outlives its readers: a closed stderr must give EPIPE (ignored by `say!`), not
    // the SIGPIPE that `main` restores for `esql run ... | head`.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition before the runtime starts any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    // Blocking threads run the queries (at most --max-queries at once) and the writes: a
    // bound keeps their number, and the memory their stacks and arenas hold, steady.
    let blocking = options.max_queries.max(1) + 4;
    let runtime = match tokio::runtime::Builder::new_multi_thread().max_blocking_threads(blocking).enable_all().build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("esql: cannot start the server: {e}");
            return 1;
        }
    };
    // What a crash left (half-written temporaries, parts a rewrite superseded) goes before
    // any query can list it.
    if let Some(dir) = engine.data() {
        crate::io::store::tidy(&dir.root);
    }
    let slots = Arc::new(tokio::sync::Semaphore::new(options.max_queries.max(1)));
    let shared = Arc::new(Shared {
        engine: engine.into(),
        store: Default::default(),
        asyncs: Default::default(),
        slots,
        timeout: options.timeout,
    });
    runtime.block_on(serve(shared, addr, options, tls))
}

async fn serve(
    shared: Arc<Shared>,
    addr: std::net::SocketAddr,
    options: &Options,
    tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
) -> i32 {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("esql: cannot listen on {addr}: {e}");
            return 1;
        }
    };
    let bound = listener.local_addr().map_or(addr, |a| a);
    // The one line a script waits for (a port of 0 picks a free one: this says which).
    say!("esql: listening on {}://{bound}", if tls.is_some() { "https" } else { "http" });
    if options.credentials.required() {
        say!("esql: requests need the API key or the user's password (Authorization header)");
    }
    let quiet = options.quiet;
    let app = router(shared, options.credentials.clone())
        .layer(axum::middleware::from_fn(move |req, next| log(req, next, quiet)));
    let served = match tls {
        Some(config) => match super::tls::Listener::new(listener, config) {
            Ok(l) => axum::serve(l, app).await,
            Err(e) => Err(e),
        },
        None => axum::serve(listener, app).await,
    };
    match served {
        Ok(()) => 0,
        Err(e) => {
            say!("esql: server stopped: {e}");
            1
        }
    }
}
