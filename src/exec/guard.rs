//! A panic inside the engine (always a bug) as an error of the query that met it. Where a
//! thread waits for another's answer, a panic that ends the other thread is a hang, not a
//! crash: a worker that died took its batch with it while the other workers kept the
//! channel open, so `esql run` waited for ever and an async request of `esql serve`
//! stayed "running" until it expired.

use super::ExecError;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// `f`'s answer, or, when it panicked, `wrap` of an internal error naming the panic.
pub fn guarded<T, E>(f: impl FnOnce() -> Result<T, E>, wrap: impl FnOnce(ExecError) -> E) -> Result<T, E> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let why = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
        let message = format!("the query failed inside the engine (a bug): {}", why.unwrap_or_default());
        Err(wrap(ExecError::Internal(message)))
    })
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn a_panic_comes_back_as_an_error() {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let answer: Result<(), _> = guarded(|| panic!("boom"), |e| e);
        std::panic::set_hook(hook);
        match answer {
            Err(e) => assert!(e.to_string().ends_with("(a bug): boom"), "{e}"),
            Ok(()) => panic!("a panic must come back as an error"),
        }
    }
}
