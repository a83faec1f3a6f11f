//! nashra: a static site generator for bilingual (Arabic/English) news
//! digests. Data flows one way: `config` + `content` + `registry` → `site`
//! → `render` (pure; each file handed on as it is made) → `output` (the only
//! writer). `build` runs that pipeline; `cli` is the command-line front.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod fingerprint;
pub mod i18n;
pub mod markdown;
pub mod mentions;
pub mod normalize;
pub mod output;
pub mod paths;
pub mod registry;
pub mod render;
pub mod scaffold;
mod scan;
pub mod search;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod theme;
pub mod watch;

/// Lock `m`, going on with its data if a thread panicked while holding it
/// (every lock of the crate guards plain data that stays whole).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Free `value` on a worker thread, off the caller's path: a large build's
/// site model and caches take a noticeable time to free, and a command that
/// is about to exit (or watch about to wait) need not wait for it.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// Per-worker state kept across a parallel loop's pieces. Rayon's
/// `map_init` makes its state afresh for every piece it splits off (dozens
/// in a large build), and a worker's vocabulary of words would be learned
/// again each time; [`Pool::take`] hands out a state some earlier piece
/// left, and the state goes back to the pool when the piece is done.
pub(crate) struct Pool<S>(std::sync::Mutex<Vec<S>>);

impl<S> Pool<S> {
    pub(crate) fn new() -> Pool<S> {
        Pool(std::sync::Mutex::new(Vec::new()))
    }

    /// A state left by an earlier piece, else `make()`.
    pub(crate) fn take(&self, make: impl FnOnce() -> S) -> Pooled<'_, S> {
        let state = lock(&self.0).pop().unwrap_or_else(make);
        Pooled { pool: self, state: Some(state) }
    }
}

/// A state lent by a [`Pool`], given back when dropped.
pub(crate) struct Pooled<'p, S> {
    pool: &'p Pool<S>,
    state: Option<S>,
}

impl<S> std::ops::Deref for Pooled<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        // Some from `take` until `drop`
        self.state.as_ref().expect("a pooled state is present until dropped")
    }
}

impl<S> std::ops::DerefMut for Pooled<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        self.state.as_mut().expect("a pooled state is present until dropped")
    }
}

impl<S> Drop for Pooled<'_, S> {
    fn drop(&mut self) {
        if let Some(s) = self.state.take() {
            lock(&self.pool.0).push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pool;

    /// A state given back is handed out again; one still lent is not.
    #[test]
    fn pool_hands_back_what_was_returned() {
        let pool = Pool::new();
        let mut made = 0;
        let mut make = || {
            made += 1;
            vec![made]
        };
        {
            let mut a = pool.take(&mut make);
            a.push(10);
            let b = pool.take(&mut make);
            assert_eq!((&*a, &*b), (&vec![1, 10], &vec![2]));
        }
        let c = pool.take(&mut make);
        let d = pool.take(&mut make);
        let e = pool.take(&mut make);
        let mut got = vec![c.clone(), d.clone(), e.clone()];
        got.sort();
        assert_eq!(got, vec![vec![1, 10], vec![2], vec![3]]);
    }
}
